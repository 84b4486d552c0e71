"""The private files in an S3-compatible bucket (STORAGE_URL=s3://…, core/storage.py).

The policy is fixed here rather than read from django-storages' AWS_* settings, so none of them can loosen it: a
stored name is never overwritten (two uploads of «скан.pdf» on one day keep both files), a file has no URL at all —
like the local folder, it is reached only through the permission-checked views, which stream it
(docs/adr/0005-object-storage.md) — and an object read whole (a backup, a personal-data archive) spills to a
temporary file beyond FILE_UPLOAD_MAX_MEMORY_SIZE. A bucket that cannot be written (unreachable, missing, access
denied) raises OSError, as a full disk does, so an upload fails with the same Russian message and leaves nothing.
"""

import errno
from contextlib import contextmanager
from typing import IO

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

MISSING = {"NoSuchKey", "404", "NotFound"}
# an unreachable bucket fails a request in seconds, not after botocore's default 60 s connect timeout per try
NETWORK = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})


@contextmanager
def _outage_as_os_error():
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise OSError(errno.EIO, f"object storage: {error}") from error


class PrivateS3Storage(S3Storage):
    def __init__(self, **options):
        super().__init__(**options)
        self.client_config = self.client_config.merge(NETWORK)

    def get_default_settings(self) -> dict:
        return {
            **super().get_default_settings(),
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own (private) policy; never public-read
            "max_memory_size": settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        }

    def save(self, name, content, max_length=None):
        with _outage_as_os_error():
            return super().save(name, content, max_length=max_length)

    def delete(self, name):
        with _outage_as_os_error():
            super().delete(name)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL: they are served by the permission-checked views.")

    def open_stream(self, name: str) -> tuple[IO[bytes], int]:
        """The object's body as the bucket sends it, read in chunks by the response, and its size."""
        key = self._normalize_name(clean_name(name))
        try:
            got = self.bucket.meta.client.get_object(Bucket=self.bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                raise FileNotFoundError(f"File does not exist: {name}") from None
            raise
        return got["Body"], got["ContentLength"]
