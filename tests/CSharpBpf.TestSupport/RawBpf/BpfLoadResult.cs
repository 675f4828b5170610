using System;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>When a load (PROG_LOAD, BTF_LOAD) asks the kernel for its log.</summary>
public enum KernelLog
{
    /// <summary>
    /// Load without a log; only when that fails, load again with one to explain why. A verbose log of
    /// a long loop or of all of vmlinux's BTF overflows any buffer, and an overflowing log fails the
    /// load (ENOSPC) even when the kernel accepts the program.
    /// </summary>
    OnFailure,

    /// <summary>
    /// Always load with a log (e.g. to read "processed N insns" of an accepted program). Should the log
    /// overflow, the verdict comes from a second load without one, and the log is the truncated text.
    /// </summary>
    Always,
}

/// <summary>
/// What a load returned: the new fd on success, otherwise the errno; the kernel's log either way
/// (empty when none was asked for). Dispose closes the fd unless it was taken.
/// </summary>
public sealed class BpfLoadResult : IDisposable
{
    internal BpfLoadResult(BpfCommand command, RawBpfFd? fd, BpfErrno errno, string log)
    {
        Command = command;
        Fd = fd;
        Errno = errno;
        Log = log;
    }

    public BpfCommand Command { get; }

    /// <summary>The loaded object's fd; null when the kernel refused it.</summary>
    public RawBpfFd? Fd { get; }

    public bool Succeeded => Fd is not null;

    /// <summary><see cref="BpfErrno.None"/> on success.</summary>
    public BpfErrno Errno { get; }

    public string Log { get; }

    /// <summary>The fd, now the caller's to dispose; a refusal throws <see cref="BpfSyscallException"/> with the log.</summary>
    public RawBpfFd TakeFd(string? what = null) =>
        Fd ?? throw new BpfSyscallException(Command, Errno, Log, what);

    public void Dispose() => Fd?.Dispose();
}
