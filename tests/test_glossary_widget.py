"""The glossary lookup shows the chosen term's own definition and sources, escaped."""

from __future__ import annotations

import html

from hamfoot import content
from hamfoot.widgets.glossary import glossary_lookup


def test_every_term_shows_its_definition():
    lookup = glossary_lookup()
    assert len(lookup.choose.options) == len(content.glossary())
    for _label, ident in lookup.choose.options:
        lookup.choose.value = ident
        term = content.get("glossary", ident)
        assert html.escape(term.term) in lookup.out.value
        assert html.escape(term.definition) in lookup.out.value
        assert ("Source:" in lookup.out.value) == bool(term.references)


def test_terms_are_in_alphabetical_order_for_keyboard_jumping():
    labels = [label.lower() for label, _ in glossary_lookup().choose.options]
    assert labels == sorted(labels)


def test_content_text_is_escaped():
    lookup = glossary_lookup()
    lookup.terms[0] = lookup.terms[0].model_copy(update={"definition": "<script>alert(1)</script>"})
    lookup.choose.value = lookup.terms[0].id
    lookup.update()
    assert "<script>" not in lookup.out.value and "&lt;script&gt;" in lookup.out.value
