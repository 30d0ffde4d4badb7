"""Privacy by construction, the pure half: finding identifiers and replacing them.

* :mod:`kinds` names the kinds of identifier and their replacement tokens (``[P07]``).
* :mod:`roster` reads the participant roster and turns it into name variants.
* :mod:`patterns` finds e-mail addresses, phone numbers, postcodes, NHS numbers, dates of
  birth and street addresses.
* :mod:`detector` runs spaCy rule components (blank English pipeline) over a text and
  returns :class:`~ketqual.core.privacy.hits.Hit` suggestions, sure or for review.
* :mod:`replace` rewrites a text with tokens and moves offsets after it.
* :mod:`keydata` is the content of a key file: roster entries with their tokens.
* :mod:`outgoing_scan` looks at what an export is about to write.

Nothing here touches a file, a database or Qt.
"""
