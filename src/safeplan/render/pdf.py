"""The PDF report: WeasyPrint over the HTML report (its print style sheet: A4, the 公文
margins, ``第 N 页 共 M 页``), fonts found by fontconfig and embedded.

One layout for the screen and for paper: the PDF is the HTML report as printed, so the two
cannot disagree. WeasyPrint is imported only here, only when a PDF is asked for, and writes
the same bytes for the same HTML (no clock: the dates in the PDF's metadata are the
report's own, from ``<meta name="dcterms.created">``).
"""

from __future__ import annotations

from safeplan.errors import UsageError
from safeplan.problems import N_

#: What to install when a library for Word or PDF reports is missing.
DOCS_EXTRA = "pip install 'safeplan[docs]'"


def missing_library(name: str) -> UsageError:
    """A missing optional library, said once the same way for Word and PDF."""
    return UsageError(
        N_("--format {format} needs {library}, which is not installed: {install}"),
        format=name,
        library={"pdf": "WeasyPrint", "docx": "CairoSVG"}.get(name, name),
        install=DOCS_EXTRA,
    )


def pdf_bytes(html: str) -> bytes:
    """The HTML report printed to PDF."""
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the package is there, pango is not
        raise missing_library("pdf") from None
    data = weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()
    assert data is not None
    return bytes(data)


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """A report is one self-contained file: nothing is fetched, not even a local file a
    plan's own template names (WeasyPrint leaves such a picture out)."""
    raise ValueError(f"a report fetches nothing: {url}")
