"""`resnet-course train` on two CPU processes (gloo), started by torchrun as a learner would on a multi-core machine:
one set of files, an accuracy measured on the whole validation set, and a run that resumes after Ctrl-C."""
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import torch
from resnet_course.all import get_data, get_learner, resnet18, PRESIZE_RATIO

TORCHRUN = str(Path(sys.executable).parent/'torchrun')
TRAIN = ['--sizes', '32,40', '--bs', '64', '--per_class', '30,10']

def launch(out, *args, **kwargs):
    "torchrun with two processes of `python -m resnet_course.train train`, writing into `out`."
    return subprocess.Popen([TORCHRUN, '--nproc_per_node', '2', '-m', 'resnet_course.train', 'train', *TRAIN, *args, '--out', str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)

def test_two_processes_write_one_result_measured_on_the_whole_validation_set(tmp_path):
    proc = launch(tmp_path/'run', '--epochs', '1,1')
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-3000:]
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob('results.json')] == [Path('run/results.json')]
    assert stdout.count('everything is in') == 1, stdout          # one process speaks for both
    results = json.loads((tmp_path/'run'/'results.json').read_text())
    assert results['processes'] == 2 and results['bs'] == 64 and results['valid_images'] == 100, results
    # The same weights, validated by one process on all of the validation set, give exactly the reported accuracy.
    dls = get_data('practice', presize=round(40 * PRESIZE_RATIO), resize=40, bs=32, per_class=(30, 10))
    learn = get_learner(dls, resnet18(dls.c))
    learn.model.load_state_dict(torch.load(tmp_path/'run'/'model.pth', weights_only=True))
    with learn.no_bar(), learn.no_logging(): accuracy = learn.validate()[1]
    assert abs(accuracy - results['accuracy']) < 1e-6, (accuracy, results['accuracy'])

def test_a_two_process_run_resumes_after_ctrl_c(tmp_path):
    out = tmp_path/'run'
    proc = launch(out, '--epochs', '1,2', start_new_session=True)
    for _ in range(1200):
        if (out/'last.pth').exists() or proc.poll() is not None: break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)                             # Ctrl-C reaches the launcher and both processes
    proc.communicate(timeout=120)
    assert (out/'last.pth').exists() and not (out/'results.json').exists()
    proc = launch(out, '--epochs', '1,2', '--resume')
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-3000:]
    assert 'resuming after epoch' in stdout, stdout
    results = json.loads((out/'results.json').read_text())
    assert results['processes'] == 2
    assert [row.split(',')[0] for row in (out/'metrics.csv').read_text().splitlines()[1:]] == ['1', '2', '3']
