"""Characters that records may not hold or that take no room on screen: what the models
refuse (``models/fields.py``) and what a renderer escapes (``render/text.py``), here so
that printing a message imports no model (a warm ``validate`` starts without pydantic)."""

#: Characters no record may hold: C0 controls but tab and newline, DEL, and C1 controls
#: but NEL (a line break in YAML 1.1). A title with ESC in it could clear the screen of
#: whoever lists the hazards.
#: The bidirectional embedding, override and isolate controls (U+202A–U+202E,
#: U+2066–U+2069) count as control characters too: a right-to-left override makes text
#: read differently on screen than it is stored ("Trojan Source").
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
CONTROL_CHARACTERS = f"\x00-\x08\x0b-\x1f\x7f\x80-\x84\x86-\x9f{BIDI_CONTROLS}"
#: Characters that take no room on screen: a value of only these is empty.
INVISIBLE_CHARACTERS = "\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff"
