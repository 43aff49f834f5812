# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The CloudFront calls of edge.cloudfront's modules: thin wrappers around boto3, with retries."""

from concurrent.futures import FIRST_EXCEPTION
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import ACCESS_DENIED
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import TRANSIENT
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import classify_error
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import COLLECTION_NAME
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import COLLECTION_VERSION
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import IAM_ACTIONS
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import MINIMUM_BOTOCORE_VERSION
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import snake_certificate_details

# CloudFront is global: requests are signed for its partition's signing region whatever region
# is configured. botocore knows that for the real endpoints, but with endpoint_url set it signs
# for the configured region, and with none configured it cannot sign at all.
CLOUDFRONT_SIGNING_REGION = "us-east-1"
CLOUDFRONT_SIGNING_REGION_CHINA = "cn-northwest-1"
LIST_PAGE_SIZE = 100


class CloudFrontRetry(AWSRetry):
    """AWSRetry that retries what ``classify_error`` calls transient: also HTTP 429/5xx whatever their code,
    and connections dropped or timed out mid-request.

    AWSRetry only looks at ClientError codes; a connection reset in the middle of a listing of
    a thousand tenants would otherwise fail a whole fact gathering. A refused connection or an
    unresolvable endpoint (EndpointConnectionError) is not retried here: botocore has already
    retried it, and it usually means a wrong endpoint_url, which waiting minutes would only hide.
    """

    base_class = Exception

    @staticmethod
    def status_code_from_exception(error):
        if type(error).__name__ == "EndpointConnectionError":
            return None
        return classify_error(error)

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code == TRANSIENT


class CloudFrontModule(AnsibleAWSModule):
    """AnsibleAWSModule whose User-Agent names edge.cloudfront, as community.aws does for its own."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)

    def cloudfront_client(self, max_concurrency=1, retry_decorator=None, sdk_attempts=None):
        """A CloudFront client (wrapped for ``aws_retry=True``) that can serve ``max_concurrency`` threads.

        ``sdk_attempts`` caps botocore's attempts per call (standard mode, retries included) for callers that retry
        themselves; the user's ``aws_config`` is merged last by amazon.aws and still wins.
        """
        config = {"max_pool_connections": max(10, max_concurrency)}
        if sdk_attempts is not None:
            config["retries"] = {"total_max_attempts": sdk_attempts, "mode": "standard"}
        extra = {
            "config": botocore.config.Config(**config),
            "region": cloudfront_region(self.region, self.params.get("endpoint_url")),
        }
        if retry_decorator is None:
            retry_decorator = CloudFrontRetry.jittered_backoff()
        client = self.client("cloudfront", retry_decorator=retry_decorator, **extra)
        self.require_managed_certificate_api(client)
        return client

    def require_managed_certificate_api(self, client):
        """Fail clearly when the SDK's service model predates GetManagedCertificateDetails.

        The service model is asked rather than the version string, so this holds whatever
        botocore build is installed.
        """
        if "GetManagedCertificateDetails" in client.meta.service_model.operation_names:
            return
        versions = self._gather_versions()
        self.fail_json(
            msg=(
                f"botocore {versions.get('botocore_version', '(unknown version)')} does not know the CloudFront "
                f"operation GetManagedCertificateDetails: {COLLECTION_NAME} needs botocore >= {MINIMUM_BOTOCORE_VERSION} "
                f"and boto3 >= {MINIMUM_BOTOCORE_VERSION} in the Python that runs the module; upgrade them "
                f"(pip install 'botocore>={MINIMUM_BOTOCORE_VERSION}' 'boto3>={MINIMUM_BOTOCORE_VERSION}')"
            ),
            **versions,
        )


def cloudfront_region(configured_region, endpoint_url):
    """The region to give botocore so that CloudFront accepts the signature."""
    if not configured_region:
        return CLOUDFRONT_SIGNING_REGION
    if not endpoint_url:
        return configured_region
    if configured_region.startswith("cn-"):
        return CLOUDFRONT_SIGNING_REGION_CHINA
    return CLOUDFRONT_SIGNING_REGION


def aws_failure(operation, subject, exception):
    """An AnsibleAWSError whose message names the call, what it was for and, for AccessDenied, the IAM action."""
    if classify_error(exception) == ACCESS_DENIED:
        message = (
            f"Access denied calling {operation} for {subject}: grant the IAM action "
            f"{IAM_ACTIONS.get(operation, 'cloudfront:' + operation)} to the credentials in use"
        )
    else:
        message = f"Failed to call {operation} for {subject}"
    return AnsibleAWSError(message=message, exception=exception)


def get_certificate_details(client, identifier, missing_ok=True):
    """The snake_case certificate details of one tenant, or None when the tenant or its certificate does not exist.

    With ``missing_ok=False`` a missing tenant or certificate raises like any other error.
    """
    try:
        response = client.get_managed_certificate_details(Identifier=identifier, aws_retry=True)
    except is_boto3_error_code("EntityNotFound") as e:
        if not missing_ok:
            raise aws_failure("GetManagedCertificateDetails", f"distribution tenant {identifier!r}", e) from e
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        raise aws_failure("GetManagedCertificateDetails", f"distribution tenant {identifier!r}", e) from e
    return snake_certificate_details(response.get("ManagedCertificateDetails"))


def get_tenant_id_by_domain(client, domain):
    """The ID of the tenant that serves ``domain``, or None when no tenant does."""
    try:
        response = client.get_distribution_tenant_by_domain(Domain=domain, aws_retry=True)
    except is_boto3_error_code("EntityNotFound"):
        return None
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:  # pylint: disable=duplicate-except
        raise aws_failure("GetDistributionTenantByDomain", f"domain {domain!r}", e) from e
    return response["DistributionTenant"]["Id"]


def list_tenants(client, distribution_id=None, connection_group_id=None):
    """Every tenant summary of the account matching the filters, in the API's order.

    Pages are requested one by one with ``aws_retry=True``, so a throttled page is retried
    alone instead of restarting the whole listing (a botocore paginator cannot be retried per page).
    """
    params = {"MaxItems": LIST_PAGE_SIZE}
    association_filter = {}
    if distribution_id:
        association_filter["DistributionId"] = distribution_id
    if connection_group_id:
        association_filter["ConnectionGroupId"] = connection_group_id
    if association_filter:
        params["AssociationFilter"] = association_filter
    tenants = []
    while True:
        try:
            page = client.list_distribution_tenants(aws_retry=True, **params)
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            raise aws_failure("ListDistributionTenants", "the tenant listing", e) from e
        tenants.extend(page.get("DistributionTenantList", []))
        if not page.get("NextMarker"):
            return tenants
        params["Marker"] = page["NextMarker"]


def ordered_concurrent_map(function, items, max_concurrency):
    """``[function(item) for item in items]`` with at most ``max_concurrency`` calls in flight.

    Results keep the order of ``items`` whatever order the calls finish in. The first
    exception is raised once the calls already running have ended; the rest are not started.
    """
    items = list(items)
    if max_concurrency <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(max_concurrency, len(items))) as executor:
        futures = [executor.submit(function, item) for item in items]
        done, pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in pending:
            future.cancel()
        for future in futures:
            if future in done and future.exception() is not None:
                raise future.exception()
        return [future.result() for future in futures]
