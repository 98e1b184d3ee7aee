"""What the package asks pip for: ranges that leave a learner's torch in place, the caps that keep the course working,
and a library that imports without the tools used to develop it."""
import subprocess, sys
from configparser import ConfigParser
from pathlib import Path
from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent

def requirements(key='requirements'):
    cfg = ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini', encoding='utf-8')
    return {r.name: r.specifier for r in map(Requirement, cfg['DEFAULT'][key].split())}

def test_torch_is_a_range_that_admits_the_releases_hosted_notebooks_have():
    need = requirements()
    for torch, vision in [('2.7.0', '0.22.0'), ('2.9.1', '0.24.1'), ('2.14.1', '0.29.1'), ('2.15.0', '0.29.2')]:
        assert torch in need['torch'] and vision in need['torchvision'], (torch, vision, need['torch'], need['torchvision'])
    assert '3.0.0' not in need['torch'] and '2.6.0' not in need['torch']   # 2.7.0 is the oldest the notebooks have passed on

def test_the_caps_that_keep_the_course_working_stay():
    need = requirements()
    assert '2.8.7' in need['fastai'] and '2.9.0' not in need['fastai']
    assert '1.14.5' in need['fastcore'] and '2.0.0' not in need['fastcore']   # fastcore 2 removed fastcore.script.Param
    assert '2.9.0' in need['plum-dispatch'] and '2.10.0' not in need['plum-dispatch']   # 2.10 cannot pickle fastai's transforms

def test_dev_tools_and_jupyterlab_are_extras():
    assert not {'nbdev', 'execnb', 'jupyterlab', 'pytest'} & set(requirements())
    assert {'nbdev', 'execnb', 'pytest'} <= set(requirements('dev_requirements'))
    assert 'jupyterlab' in requirements('course_requirements')

def test_the_library_imports_without_the_dev_tools():
    hide = "import sys\nfor name in ('nbdev', 'execnb', 'jupyterlab', 'pytest', 'nbconvert'): sys.modules[name] = None\n"
    p = subprocess.run([sys.executable, '-c', hide + 'import resnet_course.all; print("imported")'], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.strip() == 'imported', p.stderr[-3000:]
