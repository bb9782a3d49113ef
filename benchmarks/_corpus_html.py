"""Invented news sites for the synthetic corpus, and how they render a page.

Each :class:`Site` has its own template: URL shape, markup of the article, whether it
carries JSON-LD or only ``<meta>`` tags, breadcrumbs, dateline style. The heavy part of a
real news page is boilerplate (inline scripts and styles, menus, teaser lists, comments,
footers); a site builds pools of those chunks once, and every page picks and varies a few
until it reaches its drawn size. That keeps a 50-400 KB page cheap to produce.
"""

from __future__ import annotations

import html
import math
import random
from dataclasses import dataclass, field

from _corpus_text import SECTIONS, Story, TextBank, word_list

__all__ = ["Site", "build_sites", "render_text_dump", "render_text_front"]

_MONTHS = word_list("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    domain: str
    jsonld: bool
    url_shape: str  # "dated" | "story-id" | "news-html"
    markup: int  # 0, 1 or 2: three unlike article templates
    dateline: str  # "colon" -> "CITY: ..." ; "agency" -> "CITY (Site) - ..."
    breadcrumbs: bool
    comments: bool


_STYLES = (
    _Style("The Meridian Herald", "meridianherald.com", True, "dated", 0, "colon", True, True),
    _Style("Harbour Dispatch", "harbourdispatch.net", False, "story-id", 1, "agency", False, True),
    _Style("Coastal Ledger", "coastal-ledger.com", True, "news-html", 2, "colon", True, False),
    _Style("Northwind Times", "northwindtimes.co", False, "dated", 1, "colon", False, True),
    _Style("Valley Gazette", "valleygazette-news.com", True, "story-id", 0, "agency", True, False),
    _Style("Capital Wire", "capitalwire.info", False, "news-html", 2, "colon", False, False),
)


def _iso(t: tuple[int, int, int, int, int]) -> str:
    return f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}T{t[3]:02d}:{t[4]:02d}:00Z"


def _human(t: tuple[int, int, int, int, int]) -> str:
    return f"{t[2]} {_MONTHS[t[1] - 1]}, {t[0]}"


def _slug(title: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split()[:8])


_VERBS = word_list("get set init load render track update handle on is has apply sync queue")
_NOUNS = word_list(
    "Ad Slot Page View Consent Banner Video Player Teaser Menu Nav Scroll Lazy Image Pixel Metric Event "
    "Config Cookie Paywall Meter Sticky Header Footer Rail Widget Share Comment Newsletter Search"
)
_TAILS = ("", "", "Handler", "Id", "List", "State", "Options", "Ready")
# Identifiers as minified-but-readable front-end code has them: a few hundred, used over and over.
_IDENTS = [
    f"{v}{a}{b}{t}" for v in _VERBS for a in _NOUNS[:12] for b in ("", *_NOUNS[12:]) for t in _TAILS[:1]
]


def _ident(rng: random.Random) -> str:
    return rng.choice(_IDENTS) + rng.choice(_TAILS)


def _css_chunk(rng: random.Random, size: int) -> str:
    rules: list[str] = []
    while sum(map(len, rules)) < size:
        props = ";".join(
            f"{rng.choice(('margin', 'padding', 'font-size', 'line-height', 'gap'))}:{rng.randint(0, 48)}px"
            if rng.random() < 0.7
            else f"{rng.choice(('color', 'background'))}:#{rng.getrandbits(24):06x}"
            for _ in range(rng.randint(2, 6))
        )
        rules.append(f".{rng.choice(_NOUNS).lower()}__{_ident(rng).lower()}{{{props}}}")
    return "".join(rules)


def _js_chunk(rng: random.Random, size: int) -> str:
    parts = [f"(function(w,d){{var {_ident(rng)}=w.__nb||{{}};"]
    while sum(map(len, parts)) < size:
        a, b, c = _ident(rng), _ident(rng), _ident(rng)
        parts.append(
            rng.choice(
                (
                    f"function {a}({b},{c}){{return {b}&&{b}.{c}?{b}.{c}({rng.randint(0, 99)}):null}}",
                    f"var {a}=d.querySelectorAll('.{b}');for(var i=0;i<{a}.length;i++){{{a}[i].hidden=!1}}",
                    f'w.{a}=w.{a}||[];w.{a}.push({{"{b}":"{c}","t":{rng.randint(0, 9999)}}});',
                    f"if(typeof {a}==='undefined'){{var {a}={{'{b}':{rng.randint(0, 9999)},'{c}':!0}}}}",
                )
            )
        )
    parts.append("})(window,document);")
    return "".join(parts)


@dataclass(slots=True)
class Site:
    """One invented news site: its style and its pre-built boilerplate pools."""

    style: _Style
    css: list[str] = field(default_factory=list)
    js: list[str] = field(default_factory=list)
    teasers: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    nav: str = ""
    footer: str = ""

    @property
    def domain(self) -> str:
        return self.style.domain

    def url(self, story: Story, number: int) -> str:
        y, m, d = story.published[:3]
        shape = self.style.url_shape
        if shape == "dated":
            return f"https://www.{self.domain}/{story.section}/{y}/{m:02d}/{d:02d}/{_slug(story.title)}"
        if shape == "story-id":
            return f"https://{self.domain}/story/{number}/{_slug(story.title)}"
        return f"https://news.{self.domain}/{y}-{m:02d}-{d:02d}/{_slug(story.title)}-{number}.html"

    def dateline(self, city: str) -> str:
        """How this site opens an article's first paragraph."""
        return f"{city}: " if self.style.dateline == "colon" else f"{city} ({self.style.name}) \u2014 "

    def front_url(self, section: str, tag: str | None, page: int) -> str:
        if tag:
            return f"https://www.{self.domain}/tag/{tag}?page={page}"
        return f"https://www.{self.domain}/{section}/" + (f"?page={page}" if page > 1 else "")

    # -- rendering -------------------------------------------------------------------------

    def render_article(self, rng: random.Random, story: Story, url: str, target: int) -> str:
        s, esc = self.style, html.escape
        title = esc(story.title)
        head = [
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {s.name}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<link rel="canonical" href="{url}">'
            f'<meta name="description" content="{esc(story.paragraphs[0][:150])}">'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">'
            f'<meta property="og:url" content="{url}"><meta property="og:site_name" content="{s.name}">'
        ]
        if s.jsonld:
            head.append(self._jsonld(story, url))
        else:
            head.append(
                f'<meta property="article:published_time" content="{_iso(story.published)}">'
                f'<meta property="article:section" content="{story.section.title()}">'
                + "".join(f'<meta name="author" content="{esc(a)}">' for a in story.authors)
            )
            if story.updated:
                head.append(f'<meta property="article:modified_time" content="{_iso(story.updated)}">')
        body = [self._article_markup(story, url)]
        return self._page(rng, head, body, target, story.section)

    def render_front(self, rng: random.Random, section: str, tag: str | None, url: str, target: int) -> str:
        heading = f"Tag: {tag.replace('-', ' ')}" if tag else section.title()
        head = [
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{heading} | {self.style.name}'
            f'</title><link rel="canonical" href="{url}"><meta property="og:type" content="website">'
        ]
        start = rng.randrange(len(self.teasers) - 40)
        cards = "".join(self.teasers[start : start + rng.randint(20, 40)])
        body = [
            f'<section class="front"><h1 class="front__title">{heading}</h1><ul class="cards">{cards}</ul>'
            f'<nav class="pager"><a href="{url}&amp;p=2">Next</a></nav></section>'
        ]
        return self._page(rng, head, body, target, section)

    def _jsonld(self, story: Story, url: str) -> str:
        authors = ",".join(f'{{"@type":"Person","name":"{a}"}}' for a in story.authors)
        modified = f',"dateModified":"{_iso(story.updated)}"' if story.updated else ""
        return (
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":{_json_str(story.title)},"url":"{url}","datePublished":"{_iso(story.published)}"'
            f'{modified},"articleSection":"{story.section.title()}","author":[{authors}],'
            f'"publisher":{{"@type":"Organization","name":"{self.style.name}"}}}}</script>'
        )

    def _article_markup(self, story: Story, url: str) -> str:
        s, esc = self.style, html.escape
        paras = [(story.dateline or self.dateline(story.city)) + story.paragraphs[0], *story.paragraphs[1:]]
        byline = ", ".join(story.authors) or f"{s.name} staff"
        time = f'<time datetime="{_iso(story.published)}">{_human(story.published)}</time>'
        if story.updated:
            time += f' <span class="updated">Updated {_human(story.updated)}</span>'
        figure = (
            f'<figure><img src="https://cdn.{s.domain}/img/{story.doc_id}.jpg" alt="">'
            f"<figcaption>{esc(story.caption)}</figcaption></figure>"
        )
        crumbs = ""
        if s.breadcrumbs:
            crumbs = (
                f'<ol class="breadcrumb"><li><a href="/">Home</a></li>'
                f'<li><a href="/{story.section}/">{story.section.title()}</a></li></ol>'
            )
        ad = '<div class="ad-slot" data-slot="inline-1"></div>'
        if s.markup == 0:
            text = "".join(f"<p>{esc(p)}</p>" + (ad if i == 2 else "") for i, p in enumerate(paras))
            return (
                f'{crumbs}<article class="story"><header><h1 class="story__headline">{esc(story.title)}</h1>'
                f'<div class="story__byline">By {esc(byline)} {time}</div></header>{figure}'
                f'<div class="story__content">{text}</div></article>'
            )
        if s.markup == 1:
            text = "".join(f'<p class="para">{esc(p)}</p>' for p in paras)
            return (
                f'{crumbs}<div id="main-content"><div class="headline-wrap"><h1>{esc(story.title)}</h1></div>'
                f'<p class="meta"><span class="author">{esc(byline)}</span> | {time}</p>{figure}'
                f'<div class="article-body">{text}{ad}</div><div class="tags"><a href="/tag/{story.section}">'
                f"{story.section}</a></div></div>"
            )
        text = "".join(f"<p>{esc(p)}</p>" for p in paras)
        return (
            f'{crumbs}<main><div itemscope itemtype="https://schema.org/NewsArticle">'
            f'<h1 itemprop="headline">{esc(story.title)}</h1><div class="dateline-meta">'
            f'<span itemprop="author">{esc(byline)}</span>{time}</div>{figure}'
            f'<div itemprop="articleBody">{text}</div></div></main>'
        )

    def _page(self, rng: random.Random, head: list[str], body: list[str], target: int, section: str) -> str:
        nonce = format(rng.getrandbits(48), "x")
        parts = head
        parts.append(f"<style>{rng.choice(self.css)}</style>")
        parts.append(f'<script nonce="{nonce}">{rng.choice(self.js)}</script></head>')
        parts.append(f'<body class="section-{section}"><header class="masthead">{self.nav}</header>')
        parts.extend(body)
        parts.append(self._aside(rng, "Most read"))
        parts.append(self._aside(rng, "Opinion"))
        if self.style.comments:
            start = rng.randrange(len(self.comments) - 12)
            parts.append(
                f'<section id="comments">{"".join(self.comments[start : start + rng.randint(3, 12)])}'
            )
            parts.append("</section>")
        size = sum(map(len, parts)) + len(self.footer)
        # Fill to the drawn size with more of the same kinds of boilerplate, varied per page.
        while size < target:
            pick = rng.random()
            if pick < 0.55:
                chunk = (
                    f'<script nonce="{nonce}" data-v="{rng.getrandbits(16)}">{rng.choice(self.js)}</script>'
                )
            elif pick < 0.8:
                chunk = self._aside(rng, rng.choice(("Editorial", "Latest", "Trending", "Sponsored")))
            else:
                chunk = f"<style>{rng.choice(self.css)}</style>"
            parts.append(chunk)
            size += len(chunk)
        parts.append(self.footer)
        return "".join(parts)

    def _aside(self, rng: random.Random, heading: str) -> str:
        start = rng.randrange(len(self.teasers) - 10)
        items = "".join(self.teasers[start : start + rng.randint(4, 10)])
        return f'<aside class="rail"><h2 class="rail__title">{heading}</h2><ul>{items}</ul></aside>'


def _json_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_sites(bank: TextBank, seed: int) -> list[Site]:
    """Every invented site with its boilerplate pools; built once per worker."""
    sites = []
    for n, style in enumerate(_STYLES):
        rng = random.Random(f"site:{seed}:{n}")
        site = Site(style)
        site.css = [_css_chunk(rng, rng.randint(3_000, 12_000)) for _ in range(10)]
        site.js = [_js_chunk(rng, rng.randint(6_000, 30_000)) for _ in range(24)]
        for _ in range(400):
            section = rng.choice(SECTIONS)
            title = html.escape(bank.headline(rng, section))
            stamp = (rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28), 0, 0)
            site.teasers.append(
                f'<li class="teaser"><a href="/{section}/{rng.getrandbits(24)}/{_slug(title)}">{title}</a>'
                f'<span class="teaser__time">Updated {_human(stamp)}</span>'
                f"<p>{html.escape(rng.choice(bank.pool[section]))}</p></li>"
            )
        for _ in range(200):
            site.comments.append(
                f'<div class="comment"><b>{bank.person(rng)}</b><p>'
                f"{html.escape(rng.choice(bank.pool['opinion']))}</p></div>"
            )
        menu = "".join(
            f'<li><a href="/{sec}/">{sec.title()}</a><ul class="sub">'
            + "".join(
                f'<li><a href="/{sec}/{_ident(rng)}/">{_ident(rng).title()}</a></li>' for _ in range(12)
            )
            + "</ul></li>"
            for sec in SECTIONS
        )
        site.nav = f'<a class="logo" href="/">{style.name}</a><nav class="menu"><ul>{menu}</ul></nav>'
        links = "".join(
            f'<li><a href="/about/{_ident(rng)}">{_ident(rng).title()}</a></li>' for _ in range(60)
        )
        site.footer = (
            f'<footer class="site-footer"><ul>{links}</ul><p>&copy; {style.name}. All rights reserved.</p>'
            f'</footer><script nonce="f">{_js_chunk(rng, 4_000)}</script></body></html>'
        )
        sites.append(site)
    return sites


def render_text_dump(rng: random.Random, bank: TextBank, story: Story) -> str:
    """A plain-text page dump: caption, dateline paragraph, body, then the site's sidebars."""
    lines = [story.caption, "", (story.dateline or f"{story.city}: ") + story.paragraphs[0], ""]
    for paragraph in story.paragraphs[1:]:
        lines += [paragraph, ""]
    lines += _text_sidebars(rng, bank, math.ceil(rng.random() * 3))
    return "\n".join(lines)


def render_text_front(rng: random.Random, bank: TextBank, section: str) -> str:
    """A plain-text dump of a section front: nothing but teasers."""
    lines = [section.title(), ""]
    for _ in range(rng.randint(12, 30)):
        lines += [bank.headline(rng, section), f"Updated {_human(_stamp(rng))}", ""]
    return "\n".join(lines + _text_sidebars(rng, bank, 1))


def _stamp(rng: random.Random) -> tuple[int, int, int, int, int]:
    return (rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28), 0, 0)


def _text_sidebars(rng: random.Random, bank: TextBank, blocks: int) -> list[str]:
    lines: list[str] = []
    for heading in rng.sample(("Opinion", "Editorial", "Business", "Most Popular", "Sport"), blocks):
        section = "opinion" if heading in ("Opinion", "Editorial") else rng.choice(SECTIONS)
        lines += [heading, ""]
        for _ in range(rng.randint(2, 5)):
            title = bank.headline(rng, section)
            updated = "Updated " if rng.random() < 0.6 else ""
            lines += [title, f"{updated}{_human(_stamp(rng))}", "", title, "", rng.choice(bank.pool[section])]
        lines.append("")
    return lines
