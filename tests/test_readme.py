"""The README's links: every link to a file of the repository leads to one that exists."""
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent

def test_every_relative_link_in_the_readme_leads_to_a_file():
    links = re.findall(r'\]\(([^)#\s]+)', (ROOT/'README.md').read_text())
    relative = [link for link in links if '://' not in link and not link.startswith('mailto:')]
    assert relative, 'the README links to no file of the repository'
    missing = [link for link in relative if not (ROOT/link).exists()]
    assert not missing, f'README.md links to files that do not exist: {missing}'

def test_the_headline_is_the_capstone_run():
    "The README's first numbers are those chapter 07's saved run printed, and its picture is that run's figure."
    import base64, json
    cells = json.loads((ROOT/'nbs'/'07_results.ipynb').read_text())['cells']
    printed = '\n'.join(''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', '')) + ''.join(o.get('data', {}).get('text/markdown', ''))
                        for c in cells if c['cell_type'] == 'code' for o in c['outputs'])
    accuracy, tta = (float(re.search(rf'^{name}\s+([\d.]+)$', printed, re.M).group(1)) for name in ('accuracy', 'accuracy with flip TTA'))
    seconds = float(re.search(r'^training seconds\s+([\d.]+)$', printed, re.M).group(1))
    minutes = f'{seconds / 60:.0f}'
    headline = (ROOT/'README.md').read_text().split('## ')[0]
    for figure in (f'**{100 * accuracy:.1f}%**', f'**{100 * tta:.1f}%**', f'**{minutes} minutes**'): assert figure in headline, (figure, headline[:600])
    figure = next(c for c in cells if ''.join(c['source']).startswith('fig, (ax, ax_time)'))
    jpeg = next(o['data']['image/jpeg'] for o in figure['outputs'] if 'image/jpeg' in o.get('data', {}))
    assert (ROOT/'nbs'/'images'/'capstone.jpg').read_bytes() == base64.b64decode(jpeg), 'nbs/images/capstone.jpg is not chapter 07\'s figure: run .ci/readme'
