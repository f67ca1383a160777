"""Model store client: pulls versioned model tarballs from object storage."""

import io
import shutil
import tarfile
from tarfile import open as open_tar

import boto3

s3 = boto3.client("s3")
BUCKET = "acme-models"


class ModelStore:
    def __init__(self, cache: str) -> None:
        self.cache = cache

    def pull(self, name: str, version: str) -> str:
        blob = s3.get_object(Bucket=BUCKET, Key=f"{name}/{version}.tar")["Body"].read()
        target = f"{self.cache}/{name}/{version}"
        tarfile.open(fileobj=io.BytesIO(blob)).extractall(target)  # expect: AIW-PY020
        return target

    def pull_filtered(self, name: str, version: str) -> str:
        blob = s3.get_object(Bucket=BUCKET, Key=f"{name}/{version}.tar")["Body"].read()
        target = f"{self.cache}/{name}/{version}"
        with open_tar(fileobj=io.BytesIO(blob)) as tf:
            tf.extract("config.json", target, filter="tar")  # ok: AIW-PY020
        return target

    def unpack_local(self, archive: str) -> None:
        shutil.unpack_archive(archive, self.cache, format="gztar")  # expect: AIW-PY020
        shutil.unpack_archive("vendor/tokenizers.tar.bz2", self.cache)  # expect: AIW-PY020
        shutil.unpack_archive("vendor/licenses.zip", self.cache)  # ok: AIW-PY020
        shutil.unpack_archive("vendor/extra.tar.xz", self.cache, filter="data")  # ok: AIW-PY020

    def unpack_here(self, archive: str) -> None:
        with tarfile.TarFile.open(archive, "r:gz") as bundle:
            bundle.extractall()  # expect: AIW-PY020
