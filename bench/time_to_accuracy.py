#!/usr/bin/env python3
"""Time to accuracy: fastai's default recipe against the course's `resnet-course train`, one after the other, on the same
photos, in one table. Run it on a quiet machine; every figure it prints is measured in this run.

    .venv/bin/python bench/time_to_accuracy.py /path/to/imagenette --arch resnet18 --setting 64x5 --seeds 42,1

fastai's default is what a reader of fastai's docs would write: `xresnet18` (or `xresnet50`), a `Learner` with its
default loss and optimizer, `aug_transforms`, float32, the default memory layout, one fixed size, `fit_one_cycle`.
The course's recipe is `train` from `resnet_course.train` (what the command line runs, flip TTA included), at the
same final size and epochs, and again with as many epochs as fit in fastai's wall time."""
import argparse, json, tempfile, time
from pathlib import Path
import pandas as pd
from resnet_course.core import CourseError
from fastai.vision.all import *
from resnet_course.train import PRESIZE_RATIO, RunSettings, parse_ints, train

FASTAI_ARCHS = {'resnet18': xresnet18, 'resnet34': xresnet34, 'resnet50': xresnet50}

class EpochClock(Callback):
    "Seconds since the fit began and validation accuracy, at the end of every epoch."
    order = Recorder.order + 1
    def before_fit(self): self.start, self.rows = time.perf_counter(), []
    def after_epoch(self):
        accuracy = dict(zip(self.recorder.metric_names[1:], self.recorder.final_record))['accuracy']
        self.rows.append((time.perf_counter() - self.start, float(accuracy)))

def fastai_default(photos, arch, size, epochs, seed, bs, lr):
    "Train fastai's default recipe; (seconds, accuracy) at the end of each epoch, and images per training epoch."
    set_seed(seed, reproducible=True)
    dls = ImageDataLoaders.from_folder(photos, train='train', valid='val', bs=bs, item_tfms=Resize(round(size * PRESIZE_RATIO)),
                                       batch_tfms=[*aug_transforms(size=size), Normalize.from_stats(*imagenet_stats)])
    learn = Learner(dls, FASTAI_ARCHS[arch](n_out=dls.c), metrics=accuracy)
    clock = EpochClock()
    learn.fit_one_cycle(epochs, lr, cbs=clock)
    return clock.rows, len(dls.train_ds)

def course_recipe(photos, arch, sizes, epochs, seed, bs, lr, min_scale):
    "Train with the course's `train`; (seconds, accuracy) at the end of each epoch, images per training epoch, and (seconds, accuracy) after its flip TTA."
    extra = {} if min_scale is None else dict(min_scale=min_scale)   # by default, the command line's own
    with tempfile.TemporaryDirectory() as out:
        results = train(RunSettings(arch=arch, data=str(photos), sizes=sizes, epochs=epochs, lr=lr, bs=bs, seed=seed, **extra), Path(out)/'run')
        metrics = pd.read_csv(Path(out)/'run'/'metrics.csv')
    rows = list(zip(metrics['seconds'].cumsum(), metrics['accuracy']))
    return rows, results['train_images'], (rows[-1][0] + results['tta_seconds'], results['tta_accuracy'])

def summary(name, rows, n_train, marks, target, tta=None):
    "One line of the table: final accuracy (and with TTA), seconds, images/s, and the seconds at which `target` (fastai's final accuracy) and each mark were first reached."
    seconds, accuracy = rows[-1]
    line = {'recipe': name, 'epochs': len(rows), 'accuracy': round(accuracy, 3), 'with TTA': round(tta[1], 3) if tta else '-',
            'seconds': round(seconds, 1), 'with TTA, s': round(tta[0], 1) if tta else '-', 'images/s': round(n_train * len(rows) / seconds)}
    points = rows + [tta] if tta else rows   # TTA counts as one more, later, measurement
    line["to fastai's"] = next((round(s) for s, a in points if a >= target), 'not reached')
    for mark in marks: line[f'to {mark:.0%}'] = next((round(s) for s, a in points if a >= mark), 'not reached')
    return line

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('photos', help='a folder with train/<class>/ and val/<class>/')
    p.add_argument('--arch', default='resnet18', choices=list(FASTAI_ARCHS))
    p.add_argument('--setting', default='64x5', help="fastai's size and epochs, e.g. 128x5 (default 64x5)")
    p.add_argument('--sizes', default=None, help="the course's progressive sizes (default: fastai's size alone), e.g. 48,64")
    p.add_argument('--epochs', default=None, help="the course's epochs per size (default: fastai's epochs), e.g. 2,3")
    p.add_argument('--min_scale', type=float, default=None, help="the course's smallest random crop, as a share of the image (default: the command line's)")
    p.add_argument('--seeds', default='42', help='comma-separated seeds, one run of each recipe per seed')
    p.add_argument('--bs', type=int, default=64); p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--marks', default='0.7,0.8,0.85', help='accuracies whose time to reach the table gives')
    p.add_argument('--json', default=None, help='also write the table to this file')
    p.add_argument('--skip_same_time', action='store_true', help="leave out the course's run given fastai's wall time")
    args = p.parse_args()
    try:
        size, n_epochs = parse_ints(args.setting.replace('x', ','), '--setting')
        sizes = parse_ints(args.sizes, '--sizes') if args.sizes else [size]
        epochs = parse_ints(args.epochs, '--epochs') if args.epochs else [n_epochs]
        marks = [float(m) for m in args.marks.split(',')]
        table = []
        for seed in parse_ints(args.seeds, '--seeds'):
            rows, n = fastai_default(args.photos, args.arch, size, n_epochs, seed, args.bs, args.lr)
            fastai_seconds, fastai_accuracy = rows[-1]
            table.append({'seed': seed, **summary(f'fastai default, {size} px', rows, n, marks, fastai_accuracy)})
            rows, n, tta = course_recipe(args.photos, args.arch, sizes, epochs, seed, args.bs, args.lr, args.min_scale)
            crop = '' if args.min_scale is None else f', min_scale {args.min_scale:g}'
            table.append({'seed': seed, **summary(f'course, sizes {",".join(map(str, sizes))}{crop}', rows, n, marks, fastai_accuracy, tta)})
            scale = fastai_seconds / tta[0]   # as many epochs as fit in fastai's time, TTA included, in the same proportions
            longer = [max(1, int(e * scale)) for e in epochs]
            if longer != epochs and not args.skip_same_time:
                rows, n, tta = course_recipe(args.photos, args.arch, sizes, longer, seed, args.bs, args.lr, args.min_scale)
                table.append({'seed': seed, **summary(f'course, sizes {",".join(map(str, sizes))}, fastai\'s time', rows, n, marks, fastai_accuracy, tta)})
    except CourseError as e: raise SystemExit(f'time_to_accuracy: error: {e}')
    table = pd.DataFrame(table)
    print(f'\n{args.arch} on {Path(args.photos).name}, batch {args.bs}, lr {args.lr}, {torch.get_num_threads()} threads '
          f'(seconds: training and validation, from the first epoch to the last)')
    print(table.to_string(index=False))
    if args.json: Path(args.json).write_text(json.dumps(table.to_dict(orient='records'), indent=2))

if __name__ == '__main__': main()
