#!/usr/bin/env python
"""What a user would write instead of wait_for: a plain boto3 poll loop.

usage: python raw_wait.py ENDPOINT_URL (--identifier ID | --distribution-id ID) [--sleep S] [--timeout T]
                          [--concurrency N]

One tenant: get, stop when issued, else sleep S and poll again. A distribution: list its tenants once,
then every S seconds poll the certificates not issued yet with N threads. Prints a JSON summary.
Bounded by --timeout.
"""

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint_url")
    parser.add_argument("--identifier")
    parser.add_argument("--distribution-id")
    parser.add_argument("--sleep", type=float, default=15)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    started = time.monotonic()
    client = boto3.client(
        "cloudfront", endpoint_url=args.endpoint_url, region_name="us-east-1",
        config=Config(max_pool_connections=max(10, args.concurrency)),
    )
    if args.identifier:
        pending = [args.identifier]
    else:
        pending, params = [], {"AssociationFilter": {"DistributionId": args.distribution_id}, "MaxItems": 100}
        while True:
            page = client.list_distribution_tenants(**params)
            pending.extend(t["Id"] for t in page.get("DistributionTenantList", []))
            if not page.get("NextMarker"):
                break
            params["Marker"] = page["NextMarker"]
    polls = 0

    def status(identifier):
        return client.get_managed_certificate_details(Identifier=identifier)["ManagedCertificateDetails"]["CertificateStatus"]

    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        while pending and time.monotonic() - started < args.timeout:
            round_started = time.monotonic()
            statuses = list(pool.map(status, pending))
            polls += len(pending)
            pending = [identifier for identifier, found in zip(pending, statuses) if found != "issued"]
            if pending:
                time.sleep(max(0.0, min(args.sleep - (time.monotonic() - round_started),
                                        args.timeout - (time.monotonic() - started))))
    print(json.dumps({"polls": polls, "pending": len(pending), "elapsed": round(time.monotonic() - started, 3)}))
    return 1 if pending else 0


if __name__ == "__main__":
    sys.exit(main())
