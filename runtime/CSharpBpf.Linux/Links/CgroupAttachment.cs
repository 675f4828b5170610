using System;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Links;

/// <summary>
/// A program attached to a cgroup with BPF_PROG_ATTACH (the form that takes the multi/override
/// flags). Unlike a link it outlives fds, so Dispose detaches explicitly with BPF_PROG_DETACH.
/// </summary>
public sealed class CgroupAttachment : IDisposable
{
    private readonly BpfFd _cgroup;
    private readonly BpfProgram _program;
    private bool _detached;

    internal CgroupAttachment(BpfFd cgroup, string cgroupPath, BpfProgram program, BpfAttachType type, CgroupAttachFlags flags)
    {
        _cgroup = cgroup;
        _program = program;
        CgroupPath = cgroupPath;
        AttachType = type;
        Flags = flags;
    }

    public string CgroupPath { get; }
    public BpfAttachType AttachType { get; }
    public CgroupAttachFlags Flags { get; }

    public void Dispose()
    {
        if (_detached) return;
        _detached = true;
        try
        {
            if (!_program.Fd.IsClosed)
            {
                var attr = new ProgAttachAttr { TargetFd = (uint)_cgroup.Value, AttachBpfFd = (uint)_program.Fd.Value, AttachType = (uint)AttachType };
                long r = BpfSyscall.TryInvoke(BpfCommand.ProgDetach, ref attr);
                // ENOENT: already gone (the cgroup was removed). Anything else is a real failure.
                if (r < 0 && r != -Errno.ENOENT) throw new BpfSyscallException("BPF_PROG_DETACH", (int)-r, $"program '{_program.Name}' from {CgroupPath} ({AttachType})");
            }
        }
        finally
        {
            _cgroup.Dispose();
        }
    }

    public override string ToString() => $"program '{_program.Name}' on {CgroupPath} ({AttachType}, {Flags})";
}
