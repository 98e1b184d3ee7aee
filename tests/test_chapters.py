"""The shape of the teaching chapters (01 to 08a): their code comes in short cells, and the cells that write their
verdicts show the reader the sentence, not the code (collapsed in JupyterLab, left out of the site)."""
import json, re
from pathlib import Path
import pytest

NBS = Path(__file__).resolve().parent.parent/'nbs'
CHAPTERS = sorted(p for p in NBS.glob('0*.ipynb') if not p.stem.startswith('09'))

def directives(cell): return [l for l in ''.join(cell['source']).splitlines() if l.startswith('#|')]
def body(cell): return [l for l in ''.join(cell['source']).splitlines() if not l.startswith('#|')]
def echo_false(cell): return any('echo: false' in d for d in directives(cell))
def code_cells(nb): return [c for c in nb['cells'] if c['cell_type'] == 'code']

@pytest.mark.parametrize('path', CHAPTERS, ids=lambda p: p.stem)
def test_short_cells(path):
    "No visible code cell over 30 lines, no `#| echo: false` cell over 6: machinery belongs in the library and the appendices."
    nb, long = json.loads(path.read_text()), []
    for i, c in enumerate(code_cells(nb)):
        if any(d.startswith(('#| hide', '#| default_exp')) for d in directives(c)): continue
        limit = 6 if echo_false(c) else 30
        if len(body(c)) > limit: long.append(f'code cell {i + 1}: {len(body(c))} lines (at most {limit})')
    assert not long, f'{path.name}: ' + '; '.join(long)

@pytest.mark.parametrize('path', sorted(NBS.glob('*.ipynb')), ids=lambda p: p.stem)
def test_echo_false_collapsed(path):
    "A `#| echo: false` cell opens collapsed in JupyterLab, as its code is left out of the site."
    nb = json.loads(path.read_text())
    open_ = [i + 1 for i, c in enumerate(code_cells(nb)) if echo_false(c) and not c['metadata'].get('jupyter', {}).get('source_hidden')]
    assert not open_, f'{path.name}: code cells {open_} are `#| echo: false` but not collapsed: set metadata.jupyter.source_hidden'

@pytest.mark.parametrize('path', CHAPTERS, ids=lambda p: p.stem)
def test_opening(path):
    "A chapter opens, right after its install cell, with what it shows and what its `laptop` run costs in minutes."
    cells = json.loads(path.read_text())['cells']
    install = next(i for i, c in enumerate(cells) if c['cell_type'] == 'code' and 'Colab or Kaggle only' in ''.join(c['source']))
    opening = next(''.join(c['source']) for c in cells[install + 1:] if c['cell_type'] == 'markdown')
    assert '`laptop`' in opening and re.search(r'\b(a|\d+) minutes?\b', opening), f'{path.name} does not open with its `laptop` minutes: {opening[:200]!r}'
