"""What a payload looks like from its first KB, and the rule of what a page is."""

from __future__ import annotations

import pytest
from helpers.archives import CSS, JPEG, PNG, SCRIPT, story

from newsbeam.transforms.formats.sniff import declared_decision, media_type, not_page, sniff_kind

_, STORY = story(1)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (STORY, "text/html"),
        (
            b'\xef\xbb\xbf  <!-- cached 04:10 -->\n<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"><html>',
            "text/html",
        ),
        (
            b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head>',
            "text/html",
        ),
        (b"<div class='teaser'><p>The river works start on Monday.</p></div>", "text/html"),
        (
            b"Warning: include(header.php) failed in /srv/site.php on line 4\n<html><head><title>x</title>",
            "text/html",
        ),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (SCRIPT, "application/javascript"),
        (b"/*! tracker v2 | (c) Kestrel Gazette */\n(function(){var a=1;})();", "application/javascript"),
        (b'document.write("<div class=\\"ad\\">");\nvar slot = 4;', "application/javascript"),
        (CSS, "text/css"),
        (b'@charset "utf-8";\n.story{color:red}', "text/css"),
        (b'{"city": "Kestrel", "high": 17}', "application/json"),
        (b'[{"id": 1}, {"id": 2}]', "application/json"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "application/xml"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>', "application/xml"),
        (bytes(range(256)) * 4, "application/octet-stream"),
        (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        (b"The harbour board met on Monday and agreed to dredge the channel.", "text/plain"),
    ],
)
def test_sniff_kind_names_what_the_bytes_hold(data: bytes, kind: str):
    assert sniff_kind(data) == kind


def test_only_the_first_kb_is_looked_at():
    assert sniff_kind(b"x" * 2000 + b"<html><head><body>") == "text/plain"


@pytest.mark.parametrize(
    ("declared", "decision"),
    [
        ("text/html; charset=utf-8", "page"),
        ("APPLICATION/XHTML+XML", "page"),
        ("image/png", "not_page"),
        ("application/rss+xml", "not_page"),
        ("text/css", "not_page"),
        (None, "sniff"),
        ("", "sniff"),
        ("application/octet-stream", "sniff"),
        ("text/plain", "sniff"),
        ("text/xml", "sniff"),
        ("html", "sniff"),  # malformed: not type/subtype
        ("text/html/extra", "sniff"),
    ],
)
def test_declared_types_decide_alone_only_when_they_say_something(declared: str | None, decision: str):
    assert declared_decision(declared) == decision


def test_an_archive_record_of_no_or_generic_type_is_a_page_only_if_it_sniffs_as_html():
    assert not_page(None, STORY, strict=True) is None
    assert not_page("application/octet-stream", STORY, strict=True) is None
    assert not_page("text/plain", b"User-agent: *\nDisallow: /\n", strict=True) == (
        "text/plain and its bytes look like text/plain, not HTML"
    )
    assert (
        not_page(None, SCRIPT, strict=True)
        == "without a media type and its bytes look like application/javascript, not HTML"
    )
    assert not_page("text/css", STORY, strict=True) == "text/css"
    assert not_page("text/html", SCRIPT, strict=True) is None  # a declared page stays a page


def test_an_html_file_is_refused_only_when_its_bytes_are_something_else():
    assert not_page(None, b"Plain words, no markup at all, in a file named .html", strict=False) is None
    assert not_page(None, SCRIPT, strict=False) == "application/javascript by its bytes"
    assert not_page(None, b'{"html": false}', strict=False) == "application/json by its bytes"


def test_media_type_is_the_lower_cased_type_and_subtype():
    assert media_type("Text/HTML ; charset=ISO-8859-1") == "text/html"
    assert media_type(None) == "" and media_type("") == ""
