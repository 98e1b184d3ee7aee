"""The course's website (built by .ci/docs into _docs/), opened page by page in headless Chromium: every page loads,
every image renders, nothing goes to the console as an error, and every internal link leads to a page (and anchor) that exists."""
import functools, http.server, importlib, re, shutil, threading
from pathlib import Path
from urllib.parse import urlparse, unquote
import pytest
sync_playwright = pytest.importorskip('playwright.sync_api', exc_type=ImportError,
                                      reason='no playwright to import: it comes with the docs extra, pip install -e ".[docs]"').sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT/'_docs'
PAGES = sorted(str(p.relative_to(SITE)) for p in SITE.rglob('*.html')) if SITE.is_dir() else []
# Debian's chromium; playwright's own browser download cannot work offline. The flags keep it from reaching for the network.
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']
pytestmark = pytest.mark.skipif(not SITE.is_dir(), reason=f'no built site in {SITE}: build it with .ci/docs')
checked = {'pages': 0, 'images': 0, 'internal links': 0}   # conftest.py prints these at the end

@pytest.fixture(scope='module')
def site_url():
    handler = functools.partial(type('Quiet', (http.server.SimpleHTTPRequestHandler,), {'log_message': lambda *a: None}), directory=str(SITE))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_port}'
    server.shutdown()

@pytest.fixture(scope='module')
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()

@functools.lru_cache(maxsize=None)
def anchors(path):
    "The ids (and names) that a page of the site defines, which links can point at."
    return set(re.findall(r'\s(?:id|name)="([^"]+)"', path.read_text(encoding='utf-8')))

def leads_somewhere(url, base):
    "True if `url` (absolute, on the site) names a file of the site and, with a #fragment, an anchor in it."
    parsed = urlparse(url)
    target = SITE/unquote(parsed.path).lstrip('/')
    if target.is_dir(): target = target/'index.html'
    if not target.is_file(): return False
    return not parsed.fragment or target.suffix != '.html' or unquote(parsed.fragment) in anchors(target)

def test_the_site_was_built():
    assert 'index.html' in PAGES, f'no site in {SITE}: build it with .ci/docs'
    chapters = sorted(p[:-len('.html')] for p in PAGES if re.match(r'\d\d\w*?_\w+\.html$', p))
    assert chapters == sorted(nb.stem for nb in (ROOT/'nbs').glob('[0-9][0-9]*_*.ipynb')), chapters

@pytest.mark.parametrize('page_path', PAGES)
def test_page(site_url, browser, page_path):
    page, problems = browser.new_page(), []
    page.on('console', lambda msg: msg.type == 'error' and problems.append(f'console error: {msg.text}'))
    page.on('pageerror', lambda err: problems.append(f'script error: {err}'))
    page.on('requestfailed', lambda req: problems.append(f'request failed: {req.url}'))
    response = page.goto(f'{site_url}/{page_path}', wait_until='networkidle')
    assert response is not None and response.ok, f'{page_path} did not load'
    page.evaluate('window.scrollTo(0, document.body.scrollHeight)')   # lazy images too
    page.wait_for_load_state('networkidle')
    images = page.eval_on_selector_all('img', 'imgs => imgs.map(i => [i.src.slice(0, 80), i.complete && i.naturalWidth > 0])')
    problems += [f'image does not render: {src}' for src, ok in images if not ok]
    links = [href for href in page.eval_on_selector_all('a[href]', 'as => as.map(a => a.href)') if href.startswith(site_url)]
    problems += [f'link leads nowhere: {href[len(site_url):]}' for href in links if not leads_somewhere(href, page_path)]
    page.close()
    checked['pages'] += 1; checked['images'] += len(images); checked['internal links'] += len(links)
    assert not problems, f'{page_path}: ' + '; '.join(problems)

def test_every_exported_name_has_its_entry():
    "Each module's page documents every name it exports, and together they cover what `from resnet_course.all import *` adds to fastai's."
    lib = ROOT/'resnet_course'
    modules = ['.'.join(p.relative_to(lib).with_suffix('').parts) for p in lib.rglob('*.py')
               if not any(part.startswith('_') for part in p.relative_to(lib).parts) and p.stem != 'all']   # exercises/ too
    missing = [f'{m}.{name}' for m in modules for name in importlib.import_module(f'resnet_course.{m}').__all__ if f'resnet_course.{m}.{name}' not in anchors(SITE/'api'/f'{m}.html')]
    assert not missing, f'not on the API pages: {missing}'
    imports = re.findall(r'^from \.([\w.]+) import \*', (lib/'all.py').read_text(), re.M)
    assert sorted(imports) == sorted(m for m in modules if m != 'testing'), 'resnet_course.all covers other modules than the API pages (all of them but the test hooks)'

def test_search_finds_a_chapter(site_url, browser):
    "The search box, typed into as a reader would, lists the bottleneck chapter among its results."
    page = browser.new_page()
    page.goto(f'{site_url}/index.html', wait_until='networkidle')
    page.click('input.md-search__input')
    page.keyboard.type('bottleneck')
    results = page.locator('.md-search-result__item a')
    results.first.wait_for(timeout=10_000)
    hrefs = results.evaluate_all('links => links.map(a => a.getAttribute("href"))')
    page.close()
    assert any('05_bottleneck.html' in href for href in hrefs), hrefs
