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
