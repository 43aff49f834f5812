#!/usr/bin/env python
"""What a user would write instead of the module: one boto3 GetManagedCertificateDetails call.

usage: python raw_read.py ENDPOINT_URL IDENTIFIER
"""

import sys

import boto3

client = boto3.client("cloudfront", endpoint_url=sys.argv[1], region_name="us-east-1")
details = client.get_managed_certificate_details(Identifier=sys.argv[2])["ManagedCertificateDetails"]
print(details["CertificateStatus"])
