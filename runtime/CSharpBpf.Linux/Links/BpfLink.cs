using System;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Linux.Links;

/// <summary>
/// A kernel BPF link (BPF_LINK_CREATE, BPF_RAW_TRACEPOINT_OPEN): the attachment lives as long as
/// the fd (or a pin). Dispose closes it, which detaches.
/// </summary>
public sealed unsafe class BpfLink : IDisposable
{
    internal BpfLink(BpfFd fd, string description)
    {
        Fd = fd;
        Description = description;
    }

    public BpfFd Fd { get; }
    /// <summary>What is attached where, e.g. "program 'count' → raw_tp sys_enter".</summary>
    public string Description { get; }

    public uint Id => ObjectInfo.U32(Info(), 4);

    public byte[] Info()
    {
        var info = new byte[64];
        ObjectInfo.Get(Fd.Value, info, "link " + Description);
        return info;
    }

    /// <summary>BPF_LINK_DETACH: detaches now even if the link fd is shared or pinned.</summary>
    public void Detach()
    {
        var attr = new FdAttr { Fd = (uint)Fd.Value };
        BpfSyscall.Invoke(BpfCommand.LinkDetach, ref attr, "link " + Description);
    }

    /// <summary>BPF_LINK_UPDATE: swaps the program (or, for struct_ops links, the map) behind the link.</summary>
    public void Update(BpfFd newProgramOrMap, BpfFd? expectedOld = null)
    {
        var attr = new LinkUpdateAttr { LinkFd = (uint)Fd.Value, NewProgOrMapFd = (uint)newProgramOrMap.Value };
        if (expectedOld is not null)
        {
            attr.Flags = 4; // BPF_F_REPLACE
            attr.OldProgOrMapFd = (uint)expectedOld.Value;
        }
        BpfSyscall.Invoke(BpfCommand.LinkUpdate, ref attr, "link " + Description);
    }

    public void Pin(string path) => Pinning.Pin(Fd, path, "link " + Description);

    public void Dispose() => Fd.Dispose();

    public override string ToString() => $"link {Description} ({Fd})";
}
