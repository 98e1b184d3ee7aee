import sys

def pytest_terminal_summary(terminalreporter):
    "Say how much of the site the browser test looked at."
    site = sys.modules.get('test_site')
    if site and site.checked['pages']:
        terminalreporter.write_line('site checked in Chromium: ' + ', '.join(f'{n} {what}' for what, n in site.checked.items()))
