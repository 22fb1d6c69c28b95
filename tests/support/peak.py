"""The source of ``peak_kb()``, for scripts a test runs in a child Python: that process's own
peak resident memory in kB.

Not ``ru_maxrss``: Linux carries the parent's peak into a child across fork (or vfork) and exec,
so a child started late in the full test run (about 1.2 GB by then) read 1244 MB before doing
anything, and a growth measured from there hides anything smaller. ``VmHWM`` belongs to the
child's own address space.
"""

PEAK_KB = '''
def peak_kb():
    try:
        with open("/proc/self/status") as f:
            return int(next(line for line in f if line.startswith("VmHWM:")).split()[1])
    except OSError:  # not Linux: ru_maxrss (bytes on macOS)
        import resource, sys
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return kb // 1024 if sys.platform == "darwin" else kb
'''
