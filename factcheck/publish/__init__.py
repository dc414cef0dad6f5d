"""The publishing pipeline: execute the notebooks, build the book, export its downloads.

Apart from the domain (:mod:`factcheck`), which it imports and which never imports it:
:mod:`.layout` (where things are), :mod:`.guard` (one build at a time, graceful stops), :mod:`.manifest`
(what the last build was made from), :mod:`.toc` (the navigation), :mod:`.pages` (the built pages'
fixes), :mod:`.browser` (Chromium on 127.0.0.1, shared with the tests), :mod:`.export` (chart data and
SVGs, the data zip, the verdict CSVs, the PDF) and :mod:`.runner` (the whole build).
"""
