using System;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Linux.KernelTypes;

/// <summary>Reads the BTF a loaded program was loaded with back from the kernel (prog info btf_id → BTF object → bytes), as libbpf does for freplace targets.</summary>
public static unsafe class ProgramBtf
{
    public static Btf Read(BpfProgram program)
    {
        uint btfId = ObjectInfo.U32(program.Info(), 128);
        if (btfId == 0) throw new BpfException($"program '{program.Name}' was loaded without BTF; it cannot be a freplace target");
        using var fd = ObjectInfo.FdById(BpfCommand.BtfGetFdById, btfId)
            ?? throw new BpfException($"BTF object {btfId} of program '{program.Name}' is gone");
        // First ask for the size, then fetch the bytes (bpf_btf_info: btf ptr @0, btf_size @8).
        var info = new byte[32];
        ObjectInfo.Get(fd.Value, info, "BTF id " + btfId);
        uint size = BitConverter.ToUInt32(info, 8);
        var bytes = new byte[size];
        fixed (byte* p = bytes)
        {
            Array.Clear(info, 0, info.Length);
            BitConverter.GetBytes((ulong)p).CopyTo(info, 0);
            BitConverter.GetBytes(size).CopyTo(info, 8);
            ObjectInfo.Get(fd.Value, info, "BTF id " + btfId);
        }
        return BtfReader.Read(bytes);
    }

    /// <summary>The freplace target for <paramref name="function"/> (a global FUNC) in a loaded program.</summary>
    public static Loader.ExtensionTarget ExtensionTarget(BpfProgram program, string function)
    {
        var btf = Read(program);
        var f = btf.Find(function, BtfKind.Func) as BtfFunc
            ?? throw new BpfException($"program '{program.Name}' has no function '{function}' in its BTF");
        if (f.Linkage != BtfFuncLinkage.Global)
            throw new BpfException($"function '{function}' of program '{program.Name}' is static; freplace can only replace global functions");
        return new Loader.ExtensionTarget(program, f.Id);
    }
}
