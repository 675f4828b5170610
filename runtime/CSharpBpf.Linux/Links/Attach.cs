using System;
using System.Text;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Links;

/// <summary>Every way a loaded program gets attached; each returns an IDisposable that undoes it.</summary>
public static unsafe class Attach
{
    /// <summary>BPF_PROG_ATTACH to a cgroup v2 directory with the multi/override flags.</summary>
    public static CgroupAttachment Cgroup(BpfProgram program, string cgroupPath, BpfAttachType type, CgroupAttachFlags flags = CgroupAttachFlags.AllowMulti)
    {
        var cg = Libc.Open(cgroupPath, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        try
        {
            var attr = new ProgAttachAttr { TargetFd = (uint)cg.Value, AttachBpfFd = (uint)program.Fd.Value, AttachType = (uint)type, AttachFlags = (uint)flags };
            BpfSyscall.Invoke(BpfCommand.ProgAttach, ref attr, $"program '{program.Name}' to cgroup {cgroupPath} ({type}, {flags})");
            return new CgroupAttachment(cg, cgroupPath, program, type, flags);
        }
        catch
        {
            cg.Dispose();
            throw;
        }
    }

    /// <summary>BPF_LINK_CREATE on a cgroup (a cgroup link: always multi, detached when the link closes).</summary>
    public static BpfLink CgroupLink(BpfProgram program, string cgroupPath, BpfAttachType type)
    {
        using var cg = Libc.Open(cgroupPath, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        return LinkCreate(program, (uint)cg.Value, type, 0, 0, $"program '{program.Name}' → cgroup {cgroupPath} ({type})");
    }

    /// <summary>XDP on an interface through a link (BPF_LINK_CREATE with the ifindex).</summary>
    public static BpfLink Xdp(BpfProgram program, int ifindex, uint xdpFlags = 0)
        => LinkCreate(program, (uint)ifindex, BpfAttachType.Xdp, xdpFlags, 0, $"program '{program.Name}' → xdp ifindex {ifindex}");

    public static BpfLink Xdp(BpfProgram program, string interfaceName, uint xdpFlags = 0)
    {
        uint ifindex = Libc.if_nametoindex(interfaceName);
        if (ifindex == 0) throw new BpfSyscallException("if_nametoindex", Libc.LastErrno, $"interface '{interfaceName}'");
        return Xdp(program, (int)ifindex, xdpFlags);
    }

    /// <summary>raw_tp (and tp_btf when name is null: the tracepoint comes from the program's attach_btf_id).</summary>
    public static BpfLink RawTracepoint(BpfProgram program, string? tracepoint)
    {
        byte[]? name = tracepoint is null ? null : Encoding.ASCII.GetBytes(tracepoint + "\0");
        fixed (byte* pn = name)
        {
            var attr = new RawTracepointAttr { Name = (ulong)pn, ProgFd = (uint)program.Fd.Value };
            string what = $"program '{program.Name}' → raw_tp {tracepoint ?? program.AttachTo ?? "(from BTF)"}";
            return new BpfLink(BpfSyscall.InvokeFd(BpfCommand.RawTracepointOpen, ref attr, what), what);
        }
    }

    /// <summary>fentry/fexit/fmod_ret/lsm (target in the program's attach_btf_id) through BPF_LINK_CREATE.</summary>
    public static BpfLink Tracing(BpfProgram program, ulong cookie = 0)
    {
        var type = program.ExpectedAttachType;
        if (type == BpfAttachType.TraceRawTp) return RawTracepoint(program, null);
        var attr = new LinkCreateAttr { ProgFd = (uint)program.Fd.Value, AttachType = (uint)type, TracingCookie = cookie };
        string what = $"program '{program.Name}' → {type} {program.AttachTo}";
        return new BpfLink(BpfSyscall.InvokeFd(BpfCommand.LinkCreate, ref attr, what), what);
    }

    /// <summary>freplace: replaces the global function with BTF id targetBtfId in the target program.</summary>
    public static BpfLink Freplace(BpfProgram extension, BpfProgram target, uint targetBtfId)
        => LinkCreate(extension, (uint)target.Fd.Value, BpfAttachType.None, 0, targetBtfId, $"program '{extension.Name}' → freplace in '{target.Name}'");

    /// <summary>A struct_ops map registered through a link (maps created with BPF_F_LINK).</summary>
    public static BpfLink StructOps(BpfMap map)
    {
        var attr = new LinkCreateAttr { ProgFd = (uint)map.Fd.Value, AttachType = (uint)BpfAttachType.StructOps };
        string what = $"struct_ops map '{map.Name}'";
        return new BpfLink(BpfSyscall.InvokeFd(BpfCommand.LinkCreate, ref attr, what), what);
    }

    private static BpfLink LinkCreate(BpfProgram program, uint target, BpfAttachType type, uint flags, uint targetBtfId, string what)
    {
        var attr = new LinkCreateAttr
        {
            ProgFd = (uint)program.Fd.Value,
            TargetFdOrIfindex = target,
            AttachType = type == BpfAttachType.None ? 0 : (uint)type,
            Flags = flags,
            TargetBtfId = targetBtfId,
        };
        return new BpfLink(BpfSyscall.InvokeFd(BpfCommand.LinkCreate, ref attr, what), what);
    }
}
