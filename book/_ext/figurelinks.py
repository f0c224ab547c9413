"""A figure opens full size: every image of a chapter (a ``{glue:figure}`` or a cell's
PNG output) is wrapped in a link to its own PNG, made when the HTML is written.

The PNGs are drawn at twice the width they are shown at in the 1280 px column
(:mod:`bnpaper.presentation.plots`); on a phone the column is 342 px, so a tap on a figure
opens the image itself, where the reader can zoom it. Sphinx does this only for images
given a size (``html_scaled_image_link``); here for every image in the article. The link's
name is the image's alt text (axe-core: link-name). Images already inside a link, and the
site's own logos and icons, are left alone.
"""

from __future__ import annotations

import posixpath
from typing import Any

from docutils import nodes
from sphinx.util.osutil import relative_uri


def link_images(app: Any, doctree: nodes.document, docname: str) -> None:
    """Wrap each image not already in a link in ``<a class="figure-full-size">`` to its
    copy in ``_images``."""
    if app.builder.format != "html":
        return
    images = app.builder.env.images
    imgpath = relative_uri(app.builder.get_target_uri(docname), app.builder.imagedir)
    for image in list(doctree.findall(nodes.image)):
        if isinstance(image.parent, nodes.reference):
            continue
        uri = next((u for u in image.get("candidates", {}).values() if u in images),
                   image["uri"])
        if uri not in images:  # a remote image or one Sphinx does not copy
            continue
        link = nodes.reference("", "", internal=True, classes=["figure-full-size"],
                               refuri=posixpath.join(imgpath, images[uri][1]))
        image.replace_self(link)
        link.append(image)


def setup(app: Any) -> dict:
    app.connect("doctree-resolved", link_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
