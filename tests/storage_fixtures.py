"""A local S3 server for the tests: moto's server mode, one per pytest-xdist worker on a free port, and a fixture
that points the default storage at a fresh bucket in it through STORAGE_URL's own parser (core/storage.py).

A test module takes them with `from tests.storage_fixtures import s3_server, s3_storage  # noqa: F401`.
"""

import logging
import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from core.storage import storage_from_url

REGION = "ru-central1"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "zk-test-key", "AWS_SECRET_ACCESS_KEY": "zk-test-secret"}


@pytest.fixture(scope="session")
def s3_server() -> str:
    """The endpoint URL of a local S3 server that lives as long as the worker's session."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per S3 request in a failure's report
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    url: str  # the STORAGE_URL that names it
    client: object  # a boto3 S3 client, to look into the bucket past the application

    def objects(self) -> dict[str, bytes]:
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {item["Key"]: self.client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
                for item in listed}


def make_bucket(endpoint: str) -> Bucket:
    name = f"zk-test-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Bucket(name, f"s3://{name}?endpoint_url={endpoint}&region={REGION}&addressing_style=path", client)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch) -> Bucket:
    """The default storage is a fresh, empty bucket of the local server, as STORAGE_URL would make it; the
    credentials are in the environment, where boto3 (and a manage.py this test starts) finds them."""
    for variable, value in CREDENTIALS.items():
        monkeypatch.setenv(variable, value)
    bucket = make_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(bucket.url)}
    return bucket
