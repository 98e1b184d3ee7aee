"MkDocs hooks for the course's site (see .ci/docs): links between notebooks, and no page that reaches for the network."
import re

def on_page_content(html, page, config, files):
    # A notebook links to another as `02_baseline.ipynb`, which works on the repository; on the site that page is .html.
    html = re.sub(r'href="((?:\.\./)?[\w-]+)\.ipynb(#[^"]*)?"', lambda m: f'href="{m[1]}.html{m[2] or ""}"', html)
    # mkdocs-jupyter's template loads MathJax from a CDN; the notebooks have no maths, and an offline reader has no CDN.
    return re.sub(r'<script[^>]*src="https://[^"]*mathjax[^"]*"[^>]*>\s*</script>', '', html, flags=re.I)
