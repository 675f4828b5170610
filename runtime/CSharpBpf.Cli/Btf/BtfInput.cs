using System;
using System.IO;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Cli.Btf;

/// <summary>
/// Loads the BTF a `csbpf btf` argument names: an ELF object's .BTF (and .BTF.ext), or a raw BTF
/// file. A module's /sys/kernel/btf/&lt;module&gt; is split BTF, so it is read on vmlinux.
/// </summary>
internal sealed class BtfInput
{
    private BtfInput(CSharpBpf.Object.Btf.Btf btf, BtfExt? ext, string description)
    {
        Btf = btf;
        Ext = ext;
        Description = description;
    }

    public CSharpBpf.Object.Btf.Btf Btf { get; }
    public BtfExt? Ext { get; }
    public string Description { get; }

    public static BtfInput Load(string path, string? basePath)
    {
        byte[] bytes = File.ReadAllBytes(path);
        CSharpBpf.Object.Btf.Btf? baseBtf = null;
        basePath ??= ImpliedBase(path);
        if (basePath is not null) baseBtf = BtfReader.Read(File.ReadAllBytes(basePath));

        if (bytes.Length >= 4 && bytes[0] == 0x7f && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F')
        {
            var elf = ElfReader.Read(bytes);
            var btfSection = elf.FindSection(".BTF")
                ?? throw new BpfFormatException("ELF", 0, $"a .BTF section in {path} (compile with -g)");
            var btf = BtfReader.Read(btfSection.Data, baseBtf);
            var extSection = elf.FindSection(".BTF.ext");
            var ext = extSection is null ? null : BtfExtReader.Read(extSection.Data, btf);
            return new BtfInput(btf, ext, $"{path}: .BTF of an ELF object");
        }
        return new BtfInput(BtfReader.Read(bytes, baseBtf), null, basePath is null ? $"{path}: raw BTF" : $"{path}: split BTF on {basePath}");
    }

    private static string? ImpliedBase(string path)
    {
        string full = Path.GetFullPath(path);
        const string sysBtf = "/sys/kernel/btf/";
        if (!full.StartsWith(sysBtf, StringComparison.Ordinal) || Path.GetFileName(full) == "vmlinux") return null;
        return File.Exists(sysBtf + "vmlinux") ? sysBtf + "vmlinux" : null;
    }
}
