"""Where the private files live (appeal files, project documents, register downloads, health probes): the local
folder MEDIA_ROOT by default, or an S3-compatible bucket when STORAGE_URL says so (docs/adr/0005-object-storage.md).

This module is read by the settings, so it imports nothing heavy; the bucket's backend is core/storage_s3.py.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "core.storage_s3.PrivateS3Storage"
# STORAGE_URL's query parameters and the django-storages options they set
S3_PARAMETERS = {"endpoint_url": "endpoint_url", "region": "region_name", "addressing_style": "addressing_style"}
ADDRESSING_STYLES = {"auto", "path", "virtual"}


def storage_from_url(url: str) -> dict:
    """STORAGES["default"] for `s3://bucket[/prefix]?endpoint_url=…&region=…&addressing_style=path`.

    The credentials are not in the URL (it is printed in logs and configuration dumps): boto3 reads
    AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance profile) itself."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ImproperlyConfigured(f"STORAGE_URL must look like s3://bucket?endpoint_url=…, not {url!r}.")
    if parts.username or parts.password:
        raise ImproperlyConfigured("STORAGE_URL must not carry credentials: set AWS_ACCESS_KEY_ID and "
                                   "AWS_SECRET_ACCESS_KEY instead.")
    options = {"bucket_name": parts.hostname, "location": unquote(parts.path).strip("/")}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in S3_PARAMETERS or not value:
            known = ", ".join(S3_PARAMETERS)
            raise ImproperlyConfigured(f"STORAGE_URL: unknown or empty parameter {key!r} (known: {known}).")
        options[S3_PARAMETERS[key]] = value
    if options.get("addressing_style", "auto") not in ADDRESSING_STYLES:
        raise ImproperlyConfigured("STORAGE_URL: addressing_style is one of auto, path, virtual.")
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def open_download(file) -> tuple:
    """(stream, size) of a stored file for a download response. From a bucket the bytes are passed on as they
    arrive (size from the GET); a local file gives None, and Django's FileResponse measures it."""
    open_stream = getattr(file.storage, "open_stream", None)
    if open_stream is not None:
        return open_stream(file.name)
    return file.open("rb"), None
