"""`resnet-course train` on two CPU processes (gloo), started as a learner would on a multi-core machine, by
`accelerate launch --cpu` (which starts CPU processes through MPI) and by torchrun: one set of files, an accuracy
and a flip-TTA accuracy measured on the whole validation set, and a run that resumes after Ctrl-C. The same on two GPUs, and the clear
refusal of two processes on one GPU, run where the GPUs exist."""
import json, os, shutil, signal, subprocess, sys
from pathlib import Path
import pytest, torch
from fastai.metrics import accuracy as accuracy_of
from resnet_course.all import get_data, get_learner, residual18, flip_tta, PRESIZE_RATIO
from resnet_course.testing import HOLD_AFTER_EPOCH, wait_until_held, restore_ctrl_c

BIN = Path(sys.executable).parent
TRAIN = ['-m', 'resnet_course.train', 'train', '--sizes', '32,40', '--bs', '64', '--per_class', '30,10']
LAUNCHERS = {'torchrun': [str(BIN/'torchrun'), '--nproc_per_node', '2'],
             'accelerate': [str(BIN/'accelerate'), 'launch', '--cpu', '--num_processes', '2', '--num_machines', '1',
                            '--mixed_precision', 'no', '--dynamo_backend', 'no', '--mpirun_hostfile']}   # + the hostfile
MPI_AS_ROOT = {'OMPI_ALLOW_RUN_AS_ROOT': '1', 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM': '1'}   # Open MPI refuses root otherwise (CI runs as root)

def launch(out, *args, launcher='torchrun', hold_after_epoch=None, gpus=False, **kwargs):
    "Two processes of `python -m resnet_course.train train`, started by `launcher`, writing into `out` (and holding after an epoch, if asked), on CPUs unless `gpus`."
    command = LAUNCHERS[launcher]
    if launcher == 'accelerate':
        hostfile = out.parent/'hostfile'
        hostfile.write_text('localhost slots=2\n')
        command = [*command, str(hostfile)]
    env = {**os.environ, **MPI_AS_ROOT}
    if not gpus: env['CUDA_VISIBLE_DEVICES'] = ''   # CPU processes, on a machine with GPUs too
    if hold_after_epoch: env[HOLD_AFTER_EPOCH] = str(hold_after_epoch)
    # A held run is read until it holds, through one pipe for both streams: a second pipe could fill up meanwhile.
    stderr = subprocess.STDOUT if hold_after_epoch else subprocess.PIPE
    return subprocess.Popen([*command, *TRAIN, *args, '--out', str(out)], env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
                            preexec_fn=restore_ctrl_c, **kwargs)   # Ctrl-C works as in a terminal, however pytest was started

@pytest.mark.parametrize('launcher', LAUNCHERS)
def test_two_processes_write_one_result_measured_on_the_whole_validation_set(tmp_path, launcher):
    if launcher == 'accelerate' and not shutil.which('mpirun'): pytest.skip('accelerate launch --cpu starts several processes through mpirun: apt-get install openmpi-bin')
    proc = launch(tmp_path/'run', '--epochs', '1,1', launcher=launcher)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-3000:]
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob('results.json')] == [Path('run/results.json')]
    assert stdout.count('everything is in') == 1, stdout          # one process speaks for both
    results = json.loads((tmp_path/'run'/'results.json').read_text())
    assert results['processes'] == 2 and results['bs'] == 64 and results['valid_images'] == 100, results
    # The same weights, validated by one process on all of the validation set, give exactly the reported accuracy.
    dls = get_data('practice', presize=round(40 * PRESIZE_RATIO), resize=40, bs=32, per_class=(30, 10), device='cpu')   # where it trained
    learn = get_learner(dls, residual18(dls.c))
    learn.model.load_state_dict(torch.load(tmp_path/'run'/'model.pth', weights_only=True))
    with learn.no_bar(), learn.no_logging(): accuracy = learn.validate()[1]
    assert abs(accuracy - results['accuracy']) < 1e-6, (accuracy, results['accuracy'])
    # Flip TTA, measured by the first process alone after the fit, scores the whole validation set too.
    with learn.no_bar(): preds, targs = flip_tta(learn)
    assert abs(accuracy_of(preds, targs).item() - results['tta_accuracy']) < 1e-6, results

def test_a_two_process_run_resumes_after_ctrl_c(tmp_path):
    out = tmp_path/'run'
    proc = launch(out, '--epochs', '1,2', start_new_session=True, hold_after_epoch=1)
    wait_until_held(proc)                                          # epoch 1 is on disk and both processes wait
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

@pytest.mark.skipif(torch.cuda.device_count() < 2, reason='needs two GPUs')
def test_two_gpu_processes_each_train_on_their_own_gpu(tmp_path):
    proc = launch(tmp_path/'run', '--epochs', '1,1', gpus=True)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr[-3000:]
    results = json.loads((tmp_path/'run'/'results.json').read_text())
    assert results['processes'] == 2 and results['device'] == 'cuda', results

@pytest.mark.skipif(torch.cuda.device_count() != 1, reason='needs a machine with exactly one GPU')
def test_two_processes_on_one_gpu_are_refused_in_one_line(tmp_path):
    proc = launch(tmp_path/'run', '--epochs', '1,1', gpus=True)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode != 0 and 'has no GPU of its own (1 here)' in stderr, stderr[-3000:]
