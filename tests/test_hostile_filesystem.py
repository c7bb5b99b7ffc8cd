"""The file system fights back: unwritable or wrong output paths, a full disk, two builds
at once, and a build killed with SIGKILL. ``output/`` must always be the previous site
or the new one, never a mix, and the user must get a diagnostic, never a traceback.

How each condition is produced (the tests run as root here, and root ignores chmod):

- unwritable folder: ``os.access`` and ``tempfile.mkdtemp`` are monkeypatched to refuse
  (in-process); where the kernel allows it, a real read-only bind mount is made in a
  private mount namespace (``unshare -m``, subprocess); as a normal user, chmod 0o555.
- full disk: ``Path.write_bytes`` (and ``Path.mkdir``) are monkeypatched to raise
  ``OSError(ENOSPC)`` after K writes into the staging folder; the build runs in-process
  through the CLI runner, with one job and with forked workers.
- two builds: the test holds the build lock itself and starts a build in a subprocess;
  the build must say it is waiting and finish once the lock is released. With a short
  ``LOCK_TIMEOUT`` it must give up with ``output.locked`` instead.
- SIGKILL: a site of 200 notices is built in a subprocess, killed as soon as its staging
  folder holds a page, and the next build must clean up and succeed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run
from hostile_support import (
    NOTICE,
    BuiltSite,
    Snapshot,
    assert_clean_failure,
    assert_line_has,
    build_once,
    leftovers,
    prepare,
    snapshot,
    subprocess_env,
)

from notice_builder import output as output_module
from notice_builder.errors import BuildFailed
from notice_builder.output import LOCK_NAME, OUTPUT_MARK, StagingFolder

LOCK_FILE = f"{LOCK_NAME}.output"
BUILD = [sys.executable, "-m", "notice_builder", "build"]


@pytest.fixture(scope="module")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_once(tmp_path_factory.mktemp("hostile-fs") / "site")


@pytest.fixture
def site(built_template: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    return prepare(built_template, tmp_path, monkeypatch, cwd="parent")


def sources(site: BuiltSite, *more: str) -> dict[str, Snapshot]:
    """What a build reads (the cache aside): the files of each folder by their SHA-256."""
    folders = ("content", "locales", "templates", *more)
    return {name: snapshot(site.path(name)) for name in folders}


def change_title(site: BuiltSite, title: str = "A changed notice") -> None:
    site.replace(NOTICE, "  title: A short notice", f"  title: {title}")


# --- the output path ---------------------------------------------------------------------


def test_an_output_that_is_a_symbolic_link_is_built_where_it_points(site: BuiltSite) -> None:
    """A site published through a link (``output -> ../www/privacy``): the folder it
    names gets the new site, with the lock and the staging folder beside it, and the
    link stays. The link itself was replaced by a folder, which the web server never
    read."""
    www = site.root.parent / "www"
    www.mkdir()
    site.output.rename(www / "privacy")
    site.output.symlink_to(Path("..", "www", "privacy"))
    change_title(site)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert site.output.is_symlink()
    assert site.output.readlink() == Path("..", "www", "privacy")
    assert "A changed notice" in (www / "privacy" / "en" / "short-notice.html").read_text("utf-8")
    assert leftovers(site.root) == [] and leftovers(www, "privacy") == []
    assert not list(site.root.glob(".notice-builder.lock.*"))  # beside the folder it names


def test_an_output_link_to_nothing_yet_is_built_where_it_points(site: BuiltSite) -> None:
    shutil.rmtree(site.output)
    target = site.root.parent / "www" / "privacy"
    site.output.symlink_to(target)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert site.output.is_symlink() and site.output.readlink() == target
    assert snapshot(target) == site.before


@pytest.mark.parametrize("marker", [".git", ".hg", ".svn"])
def test_an_output_folder_that_is_a_checkout_is_refused(site: BuiltSite, marker: str) -> None:
    """A site published from a gh-pages clone: the build replaced the folder whole and
    deleted the clone's history with it. ``check`` still reads such a folder."""
    history = site.output / marker
    history.mkdir()
    (history / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    site.before = snapshot(site.output)
    result = site.build()
    site.assert_refused(result, "output.checkout", f"site/output/{marker}", exit_code=2)
    checked = run(["check"], site.root)
    assert checked.exit_code in (0, 1), checked.output
    assert "[output.checkout]" not in checked.output


@pytest.mark.parametrize("through_link", [False, True], ids=["folder", "symbolic-link"])
def test_an_output_folder_no_build_made_is_refused(site: BuiltSite, through_link: bool) -> None:
    """``--output ~/Documents`` (or a link to it): the build replaced the folder whole,
    and the files in it were gone."""
    documents = site.path("documents")
    documents.mkdir()
    (documents / "contract.txt").write_text("keep me\n", encoding="utf-8")
    (documents / "photos").mkdir()
    target = documents
    if through_link:
        target = site.path("published")
        target.symlink_to(documents)
    before = snapshot(documents)
    result = site.build("--output", str(target))
    site.assert_refused(result, "output.foreign-files", f"site/{documents.name}", exit_code=2)
    assert "(contract.txt, photos)" in result.output
    assert snapshot(documents) == before
    assert leftovers(site.root, documents.name) == []


def test_an_output_folder_that_cannot_be_listed_is_reported(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a build made it is not known then: no internal error, and nothing replaced."""
    listed = Path.iterdir

    def unreadable(folder: Path) -> Iterator[Path]:
        if folder == site.output:
            raise PermissionError(errno.EACCES, "Permission denied")
        return listed(folder)

    monkeypatch.setattr(Path, "iterdir", unreadable)
    site.assert_refused(site.build(), "output.unwritable", "site/output", exit_code=1)


def test_a_folder_a_build_made_is_replaced_and_an_empty_one_is_used(site: BuiltSite) -> None:
    assert (site.output / OUTPUT_MARK).is_file()  # the fixture's build made it
    (site.output / "stale.html").write_text("<p>gone next build</p>", encoding="utf-8")
    assert site.build().exit_code == 0
    assert not (site.output / "stale.html").exists()
    fresh = site.path("fresh")
    fresh.mkdir()
    (fresh / ".DS_Store").write_bytes(b"\0")  # a file manager showed it
    result = site.build("--output", str(fresh))
    assert result.exit_code == 0, result.output
    assert (fresh / OUTPUT_MARK).is_file() and (fresh / "index.html").is_file()


def test_an_output_path_that_is_a_file_is_refused(site: BuiltSite) -> None:
    target = site.write("out.html", "<p>not a folder</p>")
    result = site.build("--output", str(target))
    site.assert_refused(result, "output.not-a-folder", "site/out.html", exit_code=2)
    assert target.read_text(encoding="utf-8") == "<p>not a folder</p>"


@pytest.mark.parametrize("links", [["out"], ["out", "other"]], ids=["to-itself", "in-a-ring"])
def test_an_output_path_that_is_a_loop_of_links_is_refused(
    site: BuiltSite, links: list[str]
) -> None:
    """``Path.resolve()`` raised RuntimeError for it: an internal error."""
    for name, target in zip(links, [*links[1:], links[0]], strict=True):
        site.path(name).symlink_to(target)
    result = site.build("--output", str(site.path("out")))
    site.assert_refused(result, "output.not-a-folder", "site/out", exit_code=2)
    assert "is a symbolic link that loops" in result.output
    assert all(site.path(name).is_symlink() for name in links)


def test_a_catalog_folder_that_is_a_loop_of_links_is_reported_not_crashed_on(
    site: BuiltSite,
) -> None:
    """Showing a path below the loop made ``Path.resolve()`` raise RuntimeError."""
    site.path("ring-a").symlink_to("ring-b")
    site.path("ring-b").symlink_to("ring-a")
    result = run(["check", "--locales", "ring-a"], site.root)
    assert_clean_failure(result, 1)
    assert_line_has(result.output, "site/ring-a/nl/LC_MESSAGES/notices.po", "i18n.catalog.missing")


def test_an_output_path_below_a_file_is_refused(site: BuiltSite) -> None:
    site.write("blocker", "a file where a folder should be")
    result = site.build("--output", str(site.path("blocker/output")))
    site.assert_refused(result, "output.unwritable", "site/blocker", exit_code=1)


@pytest.mark.parametrize(
    ("output", "relation", "what"),
    [
        ("content", "is", "content folder"),
        ("locales/nl", "is inside", "locales folder"),
        ("templates", "is", "templates folder"),
        (".notice-builder-cache", "is", "cache folder"),
        ("linked", "is", "content folder"),
        ("", "is", "project folder"),
        ("..", "holds", "project folder"),
    ],
    ids=["content", "inside-locales", "templates", "cache", "symlink", "project", "parent"],
)
def test_an_output_folder_that_would_replace_sources_is_refused(
    site: BuiltSite, output: str, relation: str, what: str
) -> None:
    """A build replaces its output folder as a whole: ``--output content`` deleted the
    content, and ``--output ..`` all that is beside the project too. (A relative
    ``--output`` is in the project; the diagnostics show paths from its parent.)"""
    if output == "linked":
        site.path("linked").symlink_to("content")
    before = sources(site)
    result = site.build("--output", str(site.path(output)))
    # shown from the project's parent, links followed
    shown = {"..": ".", "linked": "site/content"}.get(output, Path("site", output).as_posix())
    site.assert_refused(result, "output.overlaps-input", shown, exit_code=2)
    assert f"the output folder {shown} {relation} the {what}" in result.output
    assert sources(site) == before


def test_an_output_folder_that_is_the_configured_templates_is_refused(site: BuiltSite) -> None:
    """The templates folder site.yaml names is known once the content is loaded. Its
    files, which no build made, refuse it before; were it a folder a build made once (it
    has the mark), it is still refused when the content names it."""
    shutil.copytree(site.path("templates"), site.path("layout"))
    site.replace(
        "content/site.yaml", "  source_language: en", "  templates: layout\n  source_language: en"
    )
    before = sources(site, "layout")
    result = site.build("--output", str(site.path("layout")))
    site.assert_refused(result, "output.foreign-files", "site/layout", exit_code=2)
    assert sources(site, "layout") == before
    (site.path("layout") / OUTPUT_MARK).write_bytes(b"")
    before = sources(site, "layout")
    result = site.build("--output", str(site.path("layout")))
    site.assert_refused(result, "output.overlaps-input", "site/layout", exit_code=2)
    assert "is the templates folder (site/layout)" in result.output
    assert sources(site, "layout") == before
    assert leftovers(site.root, "layout") == []


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_the_output_folder_has_the_permissions_of_a_new_folder(site: BuiltSite, umask: int) -> None:
    """The staging folder, made by mkdtemp (0700), became the output folder: a web server
    running as another user could not read the site."""
    change_title(site)
    previous = os.umask(umask)
    try:
        result = site.build()
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    for folder in (site.output, site.output / "en"):
        assert folder.stat().st_mode & 0o7777 == 0o777 & ~umask, folder


def test_an_unwritable_folder_is_refused(site: BuiltSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, chmod does not stop writes: ``os.access`` says no for the project folder."""
    real_access = os.access
    refused = site.root.resolve()

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)).resolve() == refused and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr("notice_builder.output.os.access", access)
    change_title(site)
    result = site.build()
    site.assert_refused(result, "output.unwritable", "site", exit_code=1)
    assert "cannot write to site: permission denied" in result.output


def test_a_staging_folder_that_cannot_be_created_is_reported(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mkdtemp(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("notice_builder.output.tempfile.mkdtemp", mkdtemp)
    change_title(site)
    result = site.build()
    site.assert_refused(result, "output.unwritable", "site", exit_code=1)


def _can_bind_mount() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount --make-rprivate / && mount -t tmpfs none /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_bind_mount(), reason="needs root and mount namespaces (unshare -m)")
def test_a_read_only_file_system_is_refused(site: BuiltSite) -> None:
    """A real read-only bind mount of the project, in a private mount namespace."""
    change_title(site)
    root = str(site.root)
    script = (
        'mount --make-rprivate / && mount --bind "$1" "$1" && '
        'mount -o remount,bind,ro "$1" && cd "$1" && '
        'exec "$2" -m notice_builder build --project .'
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", root, sys.executable],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(),
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert ".: error: cannot write to .: " in output, output
    assert "[output.unwritable]" in output
    assert "Traceback" not in output
    site.assert_unchanged()


# --- a full disk ---------------------------------------------------------------------------


def _fill_disk_after(
    monkeypatch: pytest.MonkeyPatch, writes: int, error_number: int = errno.ENOSPC
) -> None:
    """From the ``writes + 1``-th file written into a staging folder on, the disk is full."""
    real_write_bytes = Path.write_bytes
    count = {"writes": 0}

    def write_bytes(self: Path, data: bytes) -> int:
        if ".output.tmp-" in str(self):
            count["writes"] += 1
            if count["writes"] > writes:
                real_write_bytes(self, data[: len(data) // 2])  # what fitted
                raise OSError(error_number, os.strerror(error_number), str(self))
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


@pytest.mark.parametrize(
    ("jobs", "failing"),
    [("1", "site/output/nl/short-notice.html"), ("2", "site/output/static/print.css")],
    ids=["one-job", "forked-workers"],
)
def test_a_full_disk_mid_build_leaves_the_output_alone(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch, jobs: str, failing: str
) -> None:
    # one job: the en page is written, the nl page fails. Forked workers each write
    # their page in their own process; meanwhile the parent writes the sitemap and
    # fails on the first static file.
    _fill_disk_after(monkeypatch, writes=1)
    result = site.build("--jobs", jobs)
    site.assert_refused(result, "output.write-failed", failing, exit_code=1)
    assert "the disk is full (No space left on device)" in result.output
    assert "output/ was left unchanged" in result.output


def test_a_full_disk_while_creating_a_folder_is_reported(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if ".output.tmp-" in str(self) and self.name == "nl":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = site.build("--jobs", "1")
    site.assert_refused(
        result, "output.write-failed", "site/output/nl/short-notice.html", exit_code=1
    )
    assert "the disk is full" in result.output


def test_another_write_error_is_reported_as_such(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill_disk_after(monkeypatch, writes=0, error_number=errno.EIO)
    result = site.build("--jobs", "1")
    site.assert_refused(
        result, "output.write-failed", "site/output/en/short-notice.html", exit_code=1
    )
    assert "Input/output error" in result.output
    assert "disk is full" not in result.output


def test_a_full_disk_while_caching_pages_is_not_an_internal_error(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write_bytes = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if ".notice-builder-cache" in str(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    change_title(site)  # so that pages are rendered and cached again
    result = site.build("--jobs", "1")
    assert "internal error" not in result.output
    assert result.exit_code in (0, 1)
    assert leftovers(site.root) == []


def test_a_failing_swap_keeps_the_previous_output(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exchange(first: Path, second: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(second))

    monkeypatch.setattr(output_module, "_exchange", exchange)
    change_title(site)
    result = site.build()
    site.assert_refused(result, "output.unwritable", "site", exit_code=1)
    assert "Device or resource busy" in result.output


def test_an_internal_error_mid_build_removes_the_staging_folder(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Even a bug (here: a crash while rendering the index) leaves no staging folder.
    (The crash report goes to tmp_path/crash-reports, see hostile_support.prepare.)"""
    from notice_builder.render import site as render_site

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(render_site, "_render_index", crash)
    result = site.build("--jobs", "1")
    assert result.exit_code == 1
    assert "internal error" in result.output
    assert len(list((tmp_path / "crash-reports").iterdir())) == 1
    site.assert_unchanged()


def test_staging_never_writes_outside_its_folder(tmp_path: Path) -> None:
    staging = StagingFolder(tmp_path, "output")
    try:
        for relative in ("../escape.html", "../../escape.html", "/tmp/escape.html"):
            with pytest.raises(BuildFailed) as refused:
                staging.write(relative, b"<script>alert(1)</script>")
            assert [d.code for d in refused.value.diagnostics] == ["output.outside"]
        assert not (tmp_path / "escape.html").exists()
        assert not tmp_path.parent.joinpath("escape.html").exists()
    finally:
        staging.discard()
    assert list(tmp_path.iterdir()) == []


# --- two builds at once ----------------------------------------------------------------------


class HeldLock:
    """The build lock, held by the test through its own open file."""

    def __init__(self, root: Path) -> None:
        self.handle = (root / LOCK_FILE).open("a+", encoding="utf-8")
        fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"{os.getpid()}\n")
        self.handle.flush()

    def release(self) -> None:
        if not self.handle.closed:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


@pytest.fixture
def held_lock(site: BuiltSite) -> Iterator[HeldLock]:
    lock = HeldLock(site.root)
    try:
        yield lock
    finally:
        lock.release()


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        into.put(line)


def test_a_second_build_waits_for_the_first(site: BuiltSite, held_lock: HeldLock) -> None:
    change_title(site, "Built after the wait")
    build = subprocess.Popen(
        [*BUILD, "--project", str(site.root)],
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    errors: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(build.stderr, errors), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "waiting for another build" not in line:
            line = errors.get(timeout=max(0.1, deadline - time.monotonic()))
        assert "waiting for another build of output to finish" in line, line
        assert f"(process {os.getpid()};" in line, line
        time.sleep(0.5)
        assert build.poll() is None, "the second build did not wait"
        assert snapshot(site.output) == site.before
        held_lock.release()
        stdout, _ = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    reader.join(timeout=10)
    assert build.returncode == 0, stdout
    assert "Built 1 notice(s)" in stdout
    assert "Built after the wait" in site.read("output/en/short-notice.html")
    assert leftovers(site.root) == []


def test_a_build_gives_up_after_the_lock_timeout(
    site: BuiltSite, held_lock: HeldLock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_module, "LOCK_TIMEOUT", 0.5)
    change_title(site)
    started = time.monotonic()
    result = site.build()
    assert time.monotonic() - started < 30
    site.assert_refused(result, "output.locked", "site/output", exit_code=1)
    assert "waiting for another build of site/output to finish" in result.output
    assert f"another build of this output folder (process {os.getpid()})" in result.output


def test_two_builds_started_together_both_succeed(site: BuiltSite) -> None:
    _add_notices(site, 40)
    builds = [
        subprocess.Popen(
            [*BUILD, "--project", ".", "--jobs", "1"],
            cwd=site.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
        )
        for _ in range(2)
    ]
    outputs = [build.communicate(timeout=180) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert leftovers(site.root) == []
    pages = sorted(path.name for path in (site.output / "en").iterdir())
    assert len(pages) == 41


# --- a build killed halfway --------------------------------------------------------------------


def _add_notices(site: BuiltSite, count: int) -> None:
    """``count`` more notices, each in its own file, sharing the fixture's party."""
    text = site.read(NOTICE)
    notice = text[text.index("notice:") :]
    for number in range(count):
        site.write(
            f"content/n{number:03d}.yaml",
            notice.replace("id: short-notice", f"id: notice-{number:03d}", 1),
        )


def _staged_pages(root: Path) -> int:
    try:
        return sum(
            1
            for folder in root.glob(".output.tmp-*")
            for path in folder.rglob("*.html")
            if path.is_file()
        )
    except OSError:  # the folder went away while we looked
        return 0


def _until_pages_are_staged(site: BuiltSite, running: subprocess.Popen[bytes]) -> None:
    """Wait until the command has staged a page: it is rendering."""
    deadline = time.monotonic() + 120
    while _staged_pages(site.root) == 0:
        assert running.poll() is None, "it ended before it could be stopped"
        assert time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.005)


def test_a_build_killed_with_sigkill_leaves_the_previous_output(site: BuiltSite) -> None:
    _add_notices(site, 200)
    first = site.build()
    assert first.exit_code == 0, first.output
    site.before = snapshot(site.output)
    change_title(site, "Never published")
    build = subprocess.Popen(
        [*BUILD, "--project", ".", "--jobs", "1", "--no-cache"],
        cwd=site.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=subprocess_env(),
    )
    try:
        _until_pages_are_staged(site, build)
        os.kill(build.pid, signal.SIGKILL)
    finally:
        build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert snapshot(site.output) == site.before  # the previous site, whole
    assert [name for name in leftovers(site.root) if ".tmp-" in name]  # it was mid-build

    again = site.build()
    assert again.exit_code == 0, again.output
    assert leftovers(site.root) == []  # what the killed build left is gone
    assert "Never published" in site.read("output/en/short-notice.html")


ONE_JOB_NO_CACHE = {"build": ["--jobs", "1", "--no-cache"], "check": []}


@pytest.mark.parametrize("command", ["build", "check"])
def test_ctrl_c_mid_render_leaves_no_staging_folder(site: BuiltSite, command: str) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while pages
    are staged: `check` left its staging folder, a copy of the site, behind each time."""
    _add_notices(site, 200)
    site.before = snapshot(site.output)
    change_title(site, "Never published")
    running = subprocess.Popen(
        [*BUILD[:-1], command, "--project", ".", *ONE_JOB_NO_CACHE[command]],
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        _until_pages_are_staged(site, running)
        os.killpg(running.pid, signal.SIGINT)
    finally:
        _, errors = running.communicate(timeout=60)
    assert running.returncode == 1
    assert errors.decode().strip() == "Aborted."  # no traceback
    assert leftovers(site.root) == []
    assert snapshot(site.output) == site.before


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (its workers), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _working(pid: int) -> bool:
    """Whether ``pid`` has two workers that have each run 50 ms (busy with a task)."""
    ticks = 0.05 * os.sysconf("SC_CLK_TCK")
    busy = 0
    for child in _children(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            busy += int(fields[11]) + int(fields[12]) >= ticks  # utime, stime
    return busy >= 2


def _group_is_gone(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
@pytest.mark.parametrize(
    ("command", "stop"),
    [
        ("build", "ctrl-c"),
        ("check", "ctrl-c"),
        ("build", "sigterm"),
        ("check", "sigterm"),
        ("build", "sigterm-parent"),
        ("check", "sigterm-parent"),
    ],
)
def test_a_command_stopped_while_its_workers_run_ends_cleanly(
    site: BuiltSite, command: str, stop: str
) -> None:
    """Ctrl-C reaches every process of the terminal's group: each worker printed its own
    traceback; now the command says "Aborted.", exits with 1 and leaves nothing behind.
    SIGTERM to the group (a cancelled CI job) ends every process at once, as SIGKILL
    does: the next build removes the staging folder. SIGTERM to the command alone (a
    `kill PID`, a container stopped) ends it at once too; each worker printed two
    BrokenPipeError tracebacks when it next sent a result, and now ends silently. The
    output is as it was."""
    _add_notices(site, 200)
    first = site.build()
    assert first.exit_code == 0, first.output
    site.before = snapshot(site.output)
    change_title(site, "Never published")
    args = ["--no-cache", "--jobs", "2"] if command == "build" else ["--site-dir", "output"]
    started = subprocess.Popen(
        [sys.executable, "-m", "notice_builder", command, "--project", ".", *args],
        cwd=site.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
        start_new_session=True,  # its own process group, as a terminal's job
    )
    try:
        deadline = time.monotonic() + 120
        while not _working(started.pid):  # both workers are busy with pages
            assert started.poll() is None, "the command ended before it could be stopped"
            assert time.monotonic() < deadline, "no workers appeared"
            time.sleep(0.005)
        if stop == "sigterm-parent":
            os.kill(started.pid, signal.SIGTERM)
        else:
            os.killpg(started.pid, signal.SIGINT if stop == "ctrl-c" else signal.SIGTERM)
        _, errors = started.communicate(timeout=60)  # until every worker closed stderr
    finally:
        if started.poll() is None:
            os.killpg(started.pid, signal.SIGKILL)
            started.wait()
    deadline = time.monotonic() + 10
    while not _group_is_gone(started.pid):  # no worker outlives the command
        assert time.monotonic() < deadline, "a worker outlived the command"
        time.sleep(0.01)
    assert snapshot(site.output) == site.before
    if stop.startswith("sigterm"):
        assert started.returncode == -signal.SIGTERM, errors
        assert "Traceback" not in errors and "Process " not in errors, errors
        return
    assert started.returncode == 1, errors
    assert errors.strip().endswith("Aborted."), errors
    assert "Traceback" not in errors and "Process " not in errors, errors
    assert leftovers(site.root) == []


def test_a_crash_between_the_two_renames_of_a_swap_is_repaired(site: BuiltSite) -> None:
    """Without ``renameat2``, the swap is two renames; a kill between them leaves no
    ``output/`` but ``.output.old-<pid>``. The next build puts it back first, so even a
    build that then fails leaves the previous site in place."""
    site.output.rename(site.path(".output.old-99999"))
    half = site.path(".output.tmp-dead")
    half.mkdir()
    (half / "index.html").write_text("<p>half</p>", encoding="utf-8")
    site.write("content/broken.yaml", "notice:\n\tid: x\n")
    result = site.build()
    assert_clean_failure(result, 2)
    assert "site/content/broken.yaml:2:1: error:" in result.output
    site.assert_unchanged()


def test_the_fallback_swap_without_renameat2_works(
    site: BuiltSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_module, "_exchange", lambda first, second: False)
    change_title(site)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert "A changed notice" in site.read("output/en/short-notice.html")
    assert leftovers(site.root) == []


def test_a_staging_folder_in_use_by_another_process_is_kept(site: BuiltSite) -> None:
    """A ``check`` runs without the build lock; its staging folder is flock-ed and stays."""
    live = site.path(".output.tmp-live")
    live.mkdir()
    held = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = site.build()
        assert result.exit_code == 0, result.output
        assert live.is_dir()
    finally:
        os.close(held)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert not live.exists()
