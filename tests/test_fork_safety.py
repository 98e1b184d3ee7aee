"""Nothing the course does before a launch may leave CUDA set up in the notebook's process: `notebook_launcher` forks it,
and PyTorch refuses CUDA in a process forked after `torch.cuda.is_available()` (a 'bad fork'). Each test starts a fresh
Python, does what a chapter does before it launches, forks, and asks the child whether it could still use a GPU."""
import subprocess, sys, textwrap

PROBE = '''
import os, tempfile, torch
{steps}
pid = os.fork()
if pid == 0: os._exit(int(torch.cuda._is_in_bad_fork()))
print('bad fork' if os.waitpid(pid, 0)[1] >> 8 else 'forks can use CUDA')
'''

def forked_after(steps):
    "What a child forked after `steps` (Python code, run in a fresh interpreter) says of CUDA."
    p = subprocess.run([sys.executable, '-c', PROBE.format(steps=textwrap.dedent(steps))], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    return p.stdout.strip().splitlines()[-1]

def test_the_probe_sees_a_bad_fork():
    assert forked_after('torch.cuda.is_available()') == 'bad fork'   # what PyTorch does; the probe must see it, or the tests below prove nothing

def test_choosing_the_preset_and_counting_gpus_leave_forks_usable():
    assert forked_after('''
        from resnet_course.all import *
        get_preset(); gpu_count(); forks_can_use_cuda()
        ''') == 'forks can use CUDA'

def test_what_08a_does_before_its_launch_leaves_forks_usable():
    assert forked_after('''
        from resnet_course.all import *
        preset = get_preset()
        torch.distributed.init_process_group('gloo', init_method=f'file://{tempfile.mktemp()}', rank=0, world_size=1)
        dl = get_data('practice', 40, 32, bs=8, per_class=(2, 1), device='cpu').train
        GlooDistributedDL(dl, rank=0, world_size=1)._broadcast([3, 1, 2], 0)
        torch.distributed.destroy_process_group()
        on_gpus = gpu_count() >= 2
        ''') == 'forks can use CUDA'
