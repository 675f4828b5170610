using System;
using System.Collections.Generic;
using System.Text;

namespace CSharpBpf.Linux.Native;

/// <summary>BPF_OBJ_GET_INFO_BY_FD and the id iterators (BPF_*_GET_NEXT_ID), read at bpf_*_info offsets.</summary>
public static unsafe class ObjectInfo
{
    /// <summary>Fills <paramref name="info"/> (pre-seeded with any in/out pointers) for the object behind fd.</summary>
    internal static void Get(int fd, byte[] info, string what)
    {
        fixed (byte* p = info)
        {
            var attr = new InfoAttr { BpfFd = (uint)fd, InfoLen = (uint)info.Length, Info = (ulong)p };
            BpfSyscall.Invoke(BpfCommand.ObjGetInfoByFd, ref attr, what);
        }
    }

    internal static uint U32(byte[] b, int off) => BitConverter.ToUInt32(b, off);
    internal static ulong U64(byte[] b, int off) => BitConverter.ToUInt64(b, off);

    internal static string CString(byte[] b, int off, int max)
    {
        int n = 0;
        while (n < max && b[off + n] != 0) n++;
        return Encoding.UTF8.GetString(b, off, n);
    }

    /// <summary>All ids the kernel currently has for a kind: BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID.</summary>
    public static List<uint> AllIds(BpfCommand nextIdCommand)
    {
        var ids = new List<uint>();
        uint start = 0;
        while (true)
        {
            var attr = new GetIdAttr { StartId = start };
            long r = BpfSyscall.TryInvoke(nextIdCommand, ref attr);
            if (r == -Errno.ENOENT) break;
            if (r < 0) throw new BpfSyscallException(BpfSyscall.CommandName(nextIdCommand), (int)-r);
            ids.Add(attr.NextId);
            start = attr.NextId;
        }
        return ids;
    }

    public static List<uint> ProgramIds() => AllIds(BpfCommand.ProgGetNextId);
    public static List<uint> MapIds() => AllIds(BpfCommand.MapGetNextId);
    public static List<uint> LinkIds() => AllIds(BpfCommand.LinkGetNextId);
    public static List<uint> BtfIds() => AllIds(BpfCommand.BtfGetNextId);

    /// <summary>Opens an fd for an object id (BPF_PROG_GET_FD_BY_ID etc.); null when the id is gone.</summary>
    public static BpfFd? FdById(BpfCommand getFdCommand, uint id)
    {
        var attr = new GetIdAttr { StartId = id };
        long r = BpfSyscall.TryInvoke(getFdCommand, ref attr);
        if (r == -Errno.ENOENT) return null;
        if (r < 0) throw new BpfSyscallException(BpfSyscall.CommandName(getFdCommand), (int)-r, "id " + id);
        return new BpfFd((int)r);
    }
}
