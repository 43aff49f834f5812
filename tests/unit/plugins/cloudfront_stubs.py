# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Canned CloudFront data and clients for the unit tests."""

import threading
from urllib.parse import unquote

import boto3
from botocore.awsrequest import AWSResponse

# Distinctive dummy credentials: tests assert they never show up in results.
DUMMY_ACCESS_KEY = "AKIAEDGEUNITTEST0001"
DUMMY_SECRET_KEY = "EDGEunitSECRETdoNOTleak0123456789abcdefgh"


def make_client(region="us-east-1", endpoint_url=None):
    return boto3.client(
        "cloudfront",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=DUMMY_ACCESS_KEY,
        aws_secret_access_key=DUMMY_SECRET_KEY,
    )


def certificate_response(status="issued", host="cloudfront", tokens=None, arn=None):
    details = {
        "CertificateArn": arn or "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        "CertificateStatus": status,
        "ValidationTokenHost": host,
    }
    if tokens is not None:
        details["ValidationTokenDetails"] = tokens
    return {"ManagedCertificateDetails": details}


def tenant_summary(tenant_id, name=None, distribution_id="E1ABCDEFGHIJKL", domains=("www.example.com",)):
    return {
        "Id": tenant_id,
        "DistributionId": distribution_id,
        "Name": name or tenant_id.replace("dt_", "tenant-"),
        "Arn": f"arn:aws:cloudfront::123456789012:distribution-tenant/{tenant_id}",
        "Domains": [{"Domain": domain, "Status": "active"} for domain in domains],
        "CreatedTime": "2026-01-01T00:00:00Z",
        "LastModifiedTime": "2026-01-01T00:00:00Z",
        "ETag": "E2QWRUHEXAMPLE",
    }


class CannedResponder:
    """Answers CloudFront calls on one resource from ``answer(operation, identifier)``, from any thread.

    It hooks the same botocore event as Stubber, but does not require the calls in a fixed
    order, which concurrent requests cannot promise.
    """

    def __init__(self, client, answer):
        self.calls = []
        self._lock = threading.Lock()
        self._answer = answer
        client.meta.events.register_first("before-call.*.*", self._respond)

    def _respond(self, model, params, **kwargs):
        identifier = unquote(params["url_path"].rsplit("/", 1)[1])
        with self._lock:
            self.calls.append((model.name, identifier))
        parsed = self._answer(model.name, identifier)
        status = parsed.get("ResponseMetadata", {}).get("HTTPStatusCode", 200)
        return AWSResponse(None, status, {}, None), parsed
