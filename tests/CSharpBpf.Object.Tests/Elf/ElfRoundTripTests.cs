using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;

namespace CSharpBpf.Object.Tests.Elf;

/// <summary>Low-level write/read round trips and the builder's output in both byte orders.</summary>
public class ElfRoundTripTests
{
    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Fixture_written_back_reads_as_the_same_sections_symbols_and_relocations(string fixture)
    {
        var original = ElfReader.Read(FixtureFiles.Bytes(fixture));
        var rewritten = ElfReader.Read(ElfWriter.Write(original));
        AssertSameContent(original, rewritten);
    }

    [SkippableTheory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Llvm_readelf_reads_our_rewrite_like_the_original(string fixture)
    {
        Skip.IfNot(ExternalTool.IsInstalled("llvm-readelf-22"), "llvm-readelf-22 is not installed");
        string path = Path.Combine(Path.GetTempPath(), $"csbpf-elf-{Guid.NewGuid():N}.o");
        try
        {
            File.WriteAllBytes(path, ElfWriter.Write(ElfReader.Read(FixtureFiles.Bytes(fixture))));
            var run = ExternalTool.Run("llvm-readelf-22", "-S", "-s", "-r", "-W", path);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.StdErr);
            var ours = ReadelfText.Parse(run.StdOut);
            var theirs = ReadelfText.Parse(FixtureFiles.Expected(fixture, "readelf"));
            // Offsets differ (we lay out afresh); everything else is identical.
            Assert.Equal(theirs.Sections.Select(s => s with { Offset = 0 }), ours.Sections.Select(s => s with { Offset = 0 }));
            Assert.Equal(theirs.Symbols, ours.Symbols);
            Assert.Equal(theirs.Relocations, ours.Relocations.Where(r => theirs.RelocationSectionCounts.ContainsKey(r.SectionName)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Builder_output_reads_back_in_either_byte_order(bool bigEndian)
    {
        var b = new ElfBuilder(bigEndian);
        int text = b.AddSection("xdp", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, new byte[32]);
        int maps = b.AddSection(".maps", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 8, new byte[24]);
        int bss = b.AddNoBitsSection(".bss", ElfSectionFlags.Alloc | ElfSectionFlags.Write, 8, 40);
        int prog = b.AddSymbol("prog", text, 0, 32, ElfSymbolType.Func, ElfSymbolBinding.Global);
        int local = b.AddSymbol("helper_local", text, 16, 16, ElfSymbolType.Func, ElfSymbolBinding.Local);
        int map = b.AddSymbol("counts", maps, 0, 24, ElfSymbolType.Object, ElfSymbolBinding.Global);
        int ext = b.AddSpecialSymbol("bpf_kfunc", 0, 0, 0, ElfSymbolType.NoType, ElfSymbolBinding.Weak);
        b.AddRelocation(text, 0, map, BpfRelocationType.R_BPF_64_64);
        b.AddRelocation(text, 16, ext, BpfRelocationType.R_BPF_64_32);
        var bytes = b.ToBytes();
        var elf = ElfReader.Read(bytes);

        Assert.Equal(bigEndian, elf.IsBigEndian);
        Assert.True(elf.IsBpf);
        Assert.Equal(new[] { "", ".strtab", "xdp", ".relxdp", ".maps", ".bss", ".symtab" }, elf.Sections.Select(s => s.Name).ToArray());
        Assert.Equal(40UL, elf.FindSection(".bss")!.Size);
        // Locals precede globals; sh_info of .symtab is the first non-local.
        Assert.Equal(new[] { "", "helper_local", "prog", "counts", "bpf_kfunc" }, elf.Symbols.Select(s => s.Name).ToArray());
        Assert.Equal(2u, elf.Sections[elf.SymbolTableIndex].Info);
        Assert.Equal(b.SymbolIndexOf(local), 1);
        Assert.Equal(ElfSymbolBinding.Weak, elf.Symbols[b.SymbolIndexOf(ext)].Binding);
        Assert.True(elf.Symbols[b.SymbolIndexOf(ext)].IsUndefined);
        var rel = Assert.Single(elf.RelocationTables);
        Assert.Equal(b.SectionIndexOf(text), rel.TargetSectionIndex);
        Assert.Equal(new[] { (0UL, "counts", BpfRelocationType.R_BPF_64_64), (16UL, "bpf_kfunc", BpfRelocationType.R_BPF_64_32) },
            rel.Entries.Select(r => (r.Offset, elf.Symbols[(int)r.SymbolIndex].Name, r.Type)).ToArray());
        Assert.Equal(bytes, ElfWriter.Write(elf));
        _ = prog;
    }

    [SkippableFact]
    public void Llvm_readelf_reads_big_endian_builder_output()
    {
        Skip.IfNot(ExternalTool.IsInstalled("llvm-readelf-22"), "llvm-readelf-22 is not installed");
        var b = new ElfBuilder(bigEndian: true);
        int text = b.AddSection("socket", ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8, new byte[16]);
        int sym = b.AddSymbol("filter", text, 0, 16, ElfSymbolType.Func, ElfSymbolBinding.Global);
        b.AddRelocation(text, 0, sym, BpfRelocationType.R_BPF_64_64);
        string path = Path.Combine(Path.GetTempPath(), $"csbpf-elf-be-{Guid.NewGuid():N}.o");
        try
        {
            File.WriteAllBytes(path, b.ToBytes());
            var run = ExternalTool.Run("llvm-readelf-22", "-h", "-S", "-s", "-r", "-W", path);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("", run.StdErr);
            Assert.Contains("big endian", run.StdOut);
            Assert.Contains("EM_BPF", run.StdOut);
            var parsed = ReadelfText.Parse(run.StdOut);
            Assert.Equal("filter", parsed.Symbols.Single(s => s.Type == "FUNC").Name);
            Assert.Equal("R_BPF_64_64", Assert.Single(parsed.Relocations).Type);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static void AssertSameContent(ElfFile a, ElfFile b)
    {
        Assert.Equal(a.IsBigEndian, b.IsBigEndian);
        Assert.Equal((a.Type, a.Machine, a.Flags, a.SectionNameTableIndex), (b.Type, b.Machine, b.Flags, b.SectionNameTableIndex));
        Assert.Equal(a.Sections.Count, b.Sections.Count);
        for (int i = 0; i < a.Sections.Count; i++)
        {
            var x = a.Sections[i];
            var y = b.Sections[i];
            Assert.Equal((x.Name, x.Type, x.Flags, x.Size, x.Link, x.Info, x.Alignment, x.EntrySize), (y.Name, y.Type, y.Flags, y.Size, y.Link, y.Info, y.Alignment, y.EntrySize));
            Assert.Equal(x.Data, y.Data);
        }
        Assert.Equal(a.Symbols.Select(s => s.ToString()), b.Symbols.Select(s => s.ToString()));
        Assert.Equal(a.RelocationTables.Count, b.RelocationTables.Count);
        for (int i = 0; i < a.RelocationTables.Count; i++)
            Assert.Equal(a.RelocationTables[i].Entries.Select(r => r.ToString()), b.RelocationTables[i].Entries.Select(r => r.ToString()));
    }
}
