"""The GPU check, `.ci/gpu`, exercised as far as a machine without a GPU allows: its judgement of a training run on
hand-made records; with `--cpu --quick` it trains two epochs and interrupts and resumes a run on the CPU, and prints its
table; without a GPU and without `--cpu` it says why it cannot run. And pytest collects tests/ without playwright."""
import importlib.machinery, importlib.util, os, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def load_gpu_check():
    "The script .ci/gpu as a module (it has no .py to import it by)."
    loader = importlib.machinery.SourceFileLoader('gpu_check', str(ROOT/'.ci'/'gpu'))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module

gpu = load_gpu_check()

def gpu_check(*args, **env):
    return subprocess.run([sys.executable, str(ROOT/'.ci'/'gpu'), *args], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **env})

RESULTS = dict(device='cuda', precision='bf16', accuracy=0.40, classes=list('abcdefghij'), train_images=1000)
ROWS = [dict(epoch=1, seconds=30.0, train_seconds=25.0), dict(epoch=2, seconds=3.0, train_seconds=2.0), dict(epoch=3, seconds=4.0, train_seconds=3.0)]

def test_the_epochs_speed_is_training_alone_on_the_epochs_after_the_first():
    passed, figures = gpu.judge_epoch(RESULTS, ROWS, 'cuda', 'bf16')
    assert passed and figures == ('400 images/s training (steady epochs), validation 1.0 s/epoch, first epoch 30.0 s, '
                                  'cuda bf16, accuracy 0.400'), figures

def test_the_epochs_fail_in_the_wrong_precision_at_chance_or_on_the_wrong_device():
    passed, figures = gpu.judge_epoch({**RESULTS, 'precision': 'fp32'}, ROWS, 'cuda', 'bf16')
    assert not passed and figures.endswith('; trained in fp32 where bf16 is due'), figures
    passed, figures = gpu.judge_epoch({**RESULTS, 'accuracy': 0.10}, ROWS, 'cuda', 'bf16')
    assert not passed and 'accuracy not above chance: needs over 0.150 (1.5 / 10 classes)' in figures, figures
    assert gpu.judge_epoch({**RESULTS, 'accuracy': 0.15}, ROWS, 'cuda', 'bf16')[0] is False   # the margin, not chance itself
    passed, figures = gpu.judge_epoch({**RESULTS, 'device': 'cpu'}, ROWS, 'cuda', 'bf16')
    assert not passed and 'trained on cpu, not cuda' in figures, figures

def test_the_epochs_need_a_steady_epoch_and_its_training_time():
    passed, figures = gpu.judge_epoch(RESULTS, ROWS[:1], 'cuda', 'bf16')
    assert not passed and 'train at least 2' in figures, figures
    passed, figures = gpu.judge_epoch(RESULTS, [{k: v for k, v in r.items() if k != 'train_seconds'} for r in ROWS], 'cuda', 'bf16')
    assert not passed and 'no train_seconds' in figures, figures

def test_the_gpu_check_runs_its_training_checks_on_the_cpu_and_prints_one_table(tmp_path):
    p = gpu_check('--cpu', '--quick', '--data', 'practice', '--arch', 'baseline', '--size', '32', '--per_class', '30,10', '--bs', '32',
                  TMPDIR=str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    table = p.stdout.split('| check | result | figures |')[1]
    row = re.search(r'\| 2 epochs of baseline at 32 px \| passed \| (\d+) images/s training \(steady epochs\), '
                    r'validation ([\d.]+) s/epoch, first epoch [\d.]+ s, cpu (bf16|fp32), accuracy', table)
    assert row, table
    epochs = gpu.read_rows(next(tmp_path.glob('gpu-check-*'))/'epochs')   # the run's own record: the speed is epoch 2's training alone
    assert len(epochs) == 2 and int(row[1]) == round(300 / epochs[1]['train_seconds']), (row[0], epochs)
    assert float(row[2]) == round(epochs[1]['seconds'] - epochs[1]['train_seconds'], 1), (row[0], epochs)
    assert re.search(r'\| interrupt and resume \| passed \| exit status 130 on Ctrl-C, epochs 1,2,3 after --resume, on cpu (bf16|fp32) \|', table), table
    assert 'notebooks' not in table and 'pytest' not in table, table

def test_without_a_gpu_the_check_says_so():
    p = gpu_check(CUDA_VISIBLE_DEVICES='')
    assert p.returncode == 1 and 'PyTorch sees no CUDA GPU here' in p.stderr, p.stderr

def test_pytest_collects_the_tests_without_playwright(tmp_path):
    "After the README's install of \".[dev]\", without the docs extra's playwright, tests/ is still collected (the site's test skips)."
    (tmp_path/'playwright').mkdir()
    (tmp_path/'playwright'/'__init__.py').write_text('raise ImportError("no playwright: a stand-in for an install without the docs extra")\n')
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get('PYTHONPATH')]))
    p = subprocess.run([sys.executable, '-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', 'tests'], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, env={**os.environ, 'PYTHONPATH': path})
    assert p.returncode == 0 and 'tests/test_gpu_check.py::test_without_a_gpu_the_check_says_so' in p.stdout, p.stdout + p.stderr
