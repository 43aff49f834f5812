# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What kind of failure an AWS error is: worth retrying, or telling the user about, and how.

Errors are classified by their code or botocore class name, without importing botocore, so
that controller-side code can use the same rules.
"""


THROTTLING_CODES = frozenset(
    (
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
    )
)
SERVER_ERROR_CODES = frozenset(
    (
        "InternalError",
        "InternalFailure",
        "ServiceUnavailable",
        "Unavailable",
        "RequestTimeout",
        "RequestTimeoutException",
    )
)
REJECTED_CREDENTIALS_CODES = frozenset(
    (
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "AuthFailure",
    )
)
ACCESS_DENIED_CODES = frozenset(("AccessDenied", "AccessDeniedException"))
# botocore's connection problems worth retrying (SSL and proxy errors are not: retrying cannot fix them).
TRANSIENT_SDK_ERRORS = frozenset(
    ("EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError", "ConnectTimeoutError", "HTTPClientError")
)
MISSING_CREDENTIALS_ERRORS = frozenset(("NoCredentialsError", "PartialCredentialsError"))

TRANSIENT = "transient"
NOT_FOUND = "not-found"
ACCESS_DENIED = "access-denied"
REJECTED_CREDENTIALS = "rejected-credentials"
MISSING_CREDENTIALS = "missing-credentials"
OTHER = "other"


def classify_error(exception):
    """What kind of failure ``exception`` is: TRANSIENT ones are retried until the deadline, the rest end the wait.

    AnsibleAWSError wrappers are looked through. Codes are matched as botocore reports them
    (``ClientError.response``); other botocore errors by their class and its parents.
    """
    exception = getattr(exception, "exception", None) or exception
    response = getattr(exception, "response", None)
    if isinstance(response, dict) and "Error" in response:
        code = response["Error"].get("Code", "")
        http_status = response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        if code in THROTTLING_CODES or code in SERVER_ERROR_CODES or http_status == 429 or http_status >= 500:
            return TRANSIENT
        if code == "EntityNotFound":
            return NOT_FOUND
        if code in ACCESS_DENIED_CODES:
            return ACCESS_DENIED
        if code in REJECTED_CREDENTIALS_CODES:
            return REJECTED_CREDENTIALS
        return OTHER
    names = {cls.__name__ for cls in type(exception).__mro__}
    if names & TRANSIENT_SDK_ERRORS:
        return TRANSIENT
    if names & MISSING_CREDENTIALS_ERRORS:
        return MISSING_CREDENTIALS
    return OTHER


def error_summary(exception):
    """A short name for a retried error, kept as a certificate's ``last_error`` for the timeout message."""
    exception = getattr(exception, "exception", None) or exception
    response = getattr(exception, "response", None)
    if isinstance(response, dict) and "Error" in response:
        http_status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return f"{response['Error'].get('Code', 'error')} (HTTP {http_status})"
    return type(exception).__name__
