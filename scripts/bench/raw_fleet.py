#!/usr/bin/env python
"""What a user would write instead of listing mode: boto3, list the tenants, then read each certificate with N threads.

usage: python raw_fleet.py ENDPOINT_URL DISTRIBUTION_ID CONCURRENCY

Prints a JSON summary: how many certificates were read and the seconds spent in API calls
(from the first ListDistributionTenants to the last answer), the SDK's floor for listing mode.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    url, distribution_id, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = boto3.client("cloudfront", endpoint_url=url, region_name="us-east-1",
                          config=Config(max_pool_connections=max(10, concurrency)))
    started = time.monotonic()
    ids, params = [], {"AssociationFilter": {"DistributionId": distribution_id}, "MaxItems": 100}
    while True:
        page = client.list_distribution_tenants(**params)
        ids.extend(tenant["Id"] for tenant in page.get("DistributionTenantList", []))
        if not page.get("NextMarker"):
            break
        params["Marker"] = page["NextMarker"]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        details = list(pool.map(
            lambda identifier: client.get_managed_certificate_details(Identifier=identifier)["ManagedCertificateDetails"], ids))
    api = time.monotonic() - started
    print(json.dumps({"count": len(details), "issued": sum(d["CertificateStatus"] == "issued" for d in details), "api": api}))


if __name__ == "__main__":
    main()
