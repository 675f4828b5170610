using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.TestSupport;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>The clang-built fixture objects and their .BTF / .BTF.ext section bytes.</summary>
internal static class FixtureObjects
{
    public static IEnumerable<string> All() =>
        Directory.GetFiles(RepoPaths.Fixtures, "*.bpf.o")
            .Concat(Directory.Exists(Path.Combine(RepoPaths.Fixtures, "linux"))
                ? Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "linux"), "*.bpf.o")
                : Enumerable.Empty<string>())
            .OrderBy(p => p, System.StringComparer.Ordinal);

    public static IEnumerable<object[]> Names() => All().Select(p => new object[] { Path.GetRelativePath(RepoPaths.Fixtures, p) });

    public static (byte[] Btf, byte[]? BtfExt, ElfFile Elf) Sections(string relativePath)
    {
        var elf = ElfReader.Read(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, relativePath)));
        var btf = elf.FindSection(".BTF") ?? throw new InvalidDataException(relativePath + " has no .BTF");
        return (btf.Data, elf.FindSection(".BTF.ext")?.Data, elf);
    }
}
