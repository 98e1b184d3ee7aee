"""The GPU check, `.ci/gpu`, exercised as far as a machine without a GPU allows: with `--cpu` it trains one epoch and
interrupts and resumes a run on the CPU, and prints its table; without a GPU and without `--cpu` it says why it cannot run."""
import os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def gpu_check(*args, **env):
    return subprocess.run([sys.executable, str(ROOT/'.ci'/'gpu'), *args], cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **env})

def test_the_gpu_check_runs_its_training_checks_on_the_cpu_and_prints_one_table():
    p = gpu_check('--cpu', '--no_suite', '--data', 'practice', '--arch', 'resnet18', '--size', '32', '--per_class', '30,10')
    assert p.returncode == 0, p.stdout + p.stderr
    table = p.stdout.split('| check | result | figures |')[1]
    assert '| one epoch of resnet18 at 32 px | passed | ' in table and ' images/s, ' in table and ' s/epoch, cpu ' in table, table
    assert '| interrupt and resume | passed | exit status 130 on Ctrl-C, epochs 1,2,3 after --resume, on cpu |' in table, table

def test_without_a_gpu_the_check_says_so():
    p = gpu_check(CUDA_VISIBLE_DEVICES='')
    assert p.returncode == 1 and 'PyTorch sees no CUDA GPU here' in p.stderr, p.stderr
