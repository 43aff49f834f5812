# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.exceptions
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.edge.cloudfront.plugins.module_utils import error_kinds


def client_error(code, status=400, operation="GetManagedCertificateDetails"):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


@pytest.mark.parametrize(
    "exception, kind",
    [
        (client_error("Throttling"), error_kinds.TRANSIENT),
        (client_error("ThrottlingException"), error_kinds.TRANSIENT),
        (client_error("TooManyRequestsException"), error_kinds.TRANSIENT),
        (client_error("RequestLimitExceeded"), error_kinds.TRANSIENT),
        (client_error("SlowDown", 503), error_kinds.TRANSIENT),
        (client_error("Whatever", 429), error_kinds.TRANSIENT),
        (client_error("InternalError", 500), error_kinds.TRANSIENT),
        (client_error("Odd", 502), error_kinds.TRANSIENT),
        (client_error("ServiceUnavailable", 503), error_kinds.TRANSIENT),
        (botocore.exceptions.EndpointConnectionError(endpoint_url="https://x"), error_kinds.TRANSIENT),
        (botocore.exceptions.ConnectionClosedError(endpoint_url="https://x"), error_kinds.TRANSIENT),
        (botocore.exceptions.ReadTimeoutError(endpoint_url="https://x"), error_kinds.TRANSIENT),
        (botocore.exceptions.ConnectTimeoutError(endpoint_url="https://x"), error_kinds.TRANSIENT),
        (botocore.exceptions.HTTPClientError(error="reset"), error_kinds.TRANSIENT),
        (botocore.exceptions.SSLError(endpoint_url="https://x", error="bad cert"), error_kinds.OTHER),
        (client_error("EntityNotFound", 404), error_kinds.NOT_FOUND),
        (client_error("AccessDenied", 403), error_kinds.ACCESS_DENIED),
        (client_error("ExpiredToken", 403), error_kinds.REJECTED_CREDENTIALS),
        (client_error("InvalidClientTokenId", 403), error_kinds.REJECTED_CREDENTIALS),
        (client_error("UnrecognizedClientException", 400), error_kinds.REJECTED_CREDENTIALS),
        (client_error("SignatureDoesNotMatch", 403), error_kinds.REJECTED_CREDENTIALS),
        (client_error("InvalidSignatureException", 400), error_kinds.REJECTED_CREDENTIALS),
        (botocore.exceptions.NoCredentialsError(), error_kinds.MISSING_CREDENTIALS),
        (client_error("InvalidArgument", 400), error_kinds.OTHER),
        (ValueError("bug"), error_kinds.OTHER),
    ],
)
def test_classify_error(exception, kind):
    assert error_kinds.classify_error(exception) == kind
    assert error_kinds.classify_error(AnsibleAWSError(message="wrapped", exception=exception)) == kind


def test_error_summary():
    assert error_kinds.error_summary(client_error("Throttling", 400)) == "Throttling (HTTP 400)"
    assert error_kinds.error_summary(botocore.exceptions.ConnectionClosedError(endpoint_url="x")) == "ConnectionClosedError"
