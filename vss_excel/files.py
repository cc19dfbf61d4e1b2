"""Writing output files safely: to a temporary file beside the target, renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(target: str | Path, suffix: str) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes target, on failure it is removed.

    A reader never sees half a file, and a failed run leaves the old target as it was.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=".~vss-", suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an output file is not
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
