"""Fixed documents served by the httpbin-compatible endpoints (/html, /xml, /json,
/robots.txt, /deny, /encoding/utf8, /status/418).  Written for reqlab, in the
shapes httpbin clients expect."""

from __future__ import annotations

from typing import Any

ROBOTS_TXT = "User-agent: *\nDisallow: /deny\n"

DENY = r"""
          .-''''''-.
        .' _      _ '.
       /   O      O   \
      :                :
      |                |
      :       __       :
       \  .-"`  `"-.  /
        '.          .'
          '-......-'
     YOU SHOULDN'T BE HERE
"""

TEAPOT = r"""
    -=[ teapot ]=-

       _...._
     .'  _ _ `.
    | ."` ^ `". _,
    \_;`"---"`|//
      |       ;/
      \_     _/
        `\"\"\"`
"""

SLIDESHOW: dict[str, Any] = {
    "slideshow": {
        "author": "Yours Truly",
        "date": "date of publication",
        "slides": [
            {"title": "Wake up to WonderWidgets!", "type": "all"},
            {
                "items": [
                    "Why <em>WonderWidgets</em> are great",
                    "Who <em>buys</em> WonderWidgets",
                ],
                "title": "Overview",
                "type": "all",
            },
        ],
        "title": "Sample Slide Show",
    }
}

SLIDESHOW_XML = """<?xml version='1.0' encoding='us-ascii'?>

<!--  A SAMPLE set of slides  -->

<slideshow
    title="Sample Slide Show"
    date="Date of publication"
    author="Yours Truly"
    >

    <!-- TITLE SLIDE -->
    <slide type="all">
      <title>Wake up to WonderWidgets!</title>
    </slide>

    <!-- OVERVIEW -->
    <slide type="all">
        <title>Overview</title>
        <item>Why <em>WonderWidgets</em> are great</item>
        <item/>
        <item>Who <em>buys</em> WonderWidgets</item>
    </slide>

</slideshow>
"""

# Moby-Dick (1851) is in the public domain; httpbin serves the same chapter.
HTML_PAGE = """<!DOCTYPE html>
<html>
  <head>
  </head>
  <body>
      <h1>Herman Melville - Moby-Dick</h1>

      <div>
        <p>
          Call me Ishmael. Some years ago - never mind how long precisely - having
          little or no money in my purse, and nothing particular to interest me on
          shore, I thought I would sail about a little and see the watery part of the
          world. It is a way I have of driving off the spleen and regulating the
          circulation. Whenever I find myself growing grim about the mouth; whenever it
          is a damp, drizzly November in my soul; whenever I find myself involuntarily
          pausing before coffin warehouses, and bringing up the rear of every funeral I
          meet; and especially whenever my hypos get such an upper hand of me, that it
          requires a strong moral principle to prevent me from deliberately stepping
          into the street, and methodically knocking people's hats off - then, I account
          it high time to get to sea as soon as I can.
        </p>
      </div>
  </body>
</html>"""

UTF8_DEMO = """<h1>Unicode Demo</h1>

<pre>
UTF-8 encoded sample text, written for reqlab's echo server.

Latin:        Ça va? Größe, Øresund, Łódź, İstanbul, año, naïve café
Greek:        Σὲ γνωρίζω ἀπὸ τὴν κόψη τοῦ σπαθιοῦ τὴν τρομερή
Cyrillic:     Съешь же ещё этих мягких французских булок, да выпей чаю
Hebrew:       עברית בלי ניקוד
Arabic:       العربية
Devanagari:   नमस्ते दुनिया
Thai:         สวัสดีชาวโลก
Chinese:      你好，世界
Japanese:     こんにちは世界、カタカナ
Korean:       안녕하세요 세계
Maths:        ∀x∈ℝ: ⌈x⌉ = −⌊−x⌋,  ∑ᵢ₌₁ⁿ i = n(n+1)/2,  ∮ E⋅da = Q/ε₀
Arrows:       ← ↑ → ↓ ↔ ⇒ ⇔
Box drawing:  ┌─┬─┐ │ │ │ ├─┼─┤ └─┴─┘
Symbols:      € £ ¥ © ® ™ ° ± ½ ¼ ¾ • … ‰ ‹ › « »
Emoji:        🙂 🚀 🐍 ☕ (outside the Basic Multilingual Plane)
</pre>
"""
