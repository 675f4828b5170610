using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;

namespace CSharpBpf.Object.Tests.Elf;

/// <summary>
/// Every section header, symbol and relocation of every clang-built fixture, compared field by
/// field with llvm-readelf-22's reading: against the committed text always, and against a live
/// run (which also covers the DWARF relocation tables left out of the committed text) when
/// llvm-readelf-22 is installed.
/// </summary>
public class ElfFixtureTests
{
    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Matches_committed_llvm_readelf_facts(string fixture)
    {
        var elf = ElfReader.Read(FixtureFiles.Bytes(fixture));
        AssertMatches(elf, ReadelfText.Parse(FixtureFiles.Expected(fixture, "readelf")), fixture, committed: true);
    }

    [SkippableTheory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Matches_live_llvm_readelf_including_dwarf_relocations(string fixture)
    {
        Skip.IfNot(ExternalTool.IsInstalled("llvm-readelf-22"), "llvm-readelf-22 is not installed");
        var run = ExternalTool.Run("llvm-readelf-22", "-S", "-s", "-r", "-W", FixtureFiles.ObjectPath(fixture));
        Assert.Equal(0, run.ExitCode);
        var elf = ElfReader.Read(FixtureFiles.Bytes(fixture));
        AssertMatches(elf, ReadelfText.Parse(run.StdOut), fixture, committed: false);
    }

    [Theory]
    [MemberData(nameof(FixtureFiles.All), MemberType = typeof(FixtureFiles))]
    public void Header_is_elf64_little_endian_bpf_relocatable(string fixture)
    {
        var elf = ElfReader.Read(FixtureFiles.Bytes(fixture));
        Assert.False(elf.IsBigEndian);
        Assert.True(elf.IsBpf);
        Assert.Equal(ElfConstants.TypeRelocatable, elf.Type);
        Assert.Equal(1, elf.SectionNameTableIndex); // clang shares .strtab for section names
        Assert.Equal(".strtab", elf.Sections[elf.SectionNameTableIndex].Name);
        Assert.Equal(".symtab", elf.Sections[elf.SymbolTableIndex].Name);
    }

    private static void AssertMatches(ElfFile elf, ReadelfText expected, string fixture, bool committed)
    {
        Assert.Equal(expected.Sections.Count, elf.Sections.Count);
        foreach (var e in expected.Sections)
        {
            var s = elf.Sections[e.Index];
            string where = $"{fixture} section [{e.Index}] {e.Name}";
            Assert.True(e.Name == s.Name, where + $": name {s.Name}");
            Assert.True(e.Type == ReadelfNames.SectionType(s.Type), where + $": type {s.Type}");
            Assert.True(e.Offset == s.FileOffset, where + $": offset {s.FileOffset}");
            Assert.True(e.Size == s.Size, where + $": size {s.Size}");
            Assert.True(e.EntSize == s.EntrySize, where + $": entsize {s.EntrySize}");
            Assert.True(e.Flags == ReadelfNames.Flags(s.Flags), where + $": flags {s.Flags}");
            Assert.True(e.Link == s.Link && e.Info == s.Info && e.Align == s.Alignment, where + ": link/info/align");
        }

        Assert.Equal(expected.Symbols.Count, elf.Symbols.Count);
        foreach (var e in expected.Symbols)
        {
            var s = elf.Symbols[e.Index];
            string where = $"{fixture} symbol {e.Index} {e.Name}";
            Assert.True(e.Value == s.Value && e.Size == s.Size, where + $": value/size {s.Value}/{s.Size}");
            Assert.True(e.Type == ReadelfNames.SymbolType(s.Type) && e.Bind == ReadelfNames.Binding(s.Binding), where + ": type/binding");
            Assert.True(e.Visibility == ReadelfNames.Visibility(s.Visibility), where + ": visibility");
            Assert.True(e.Ndx == ReadelfNames.Ndx(s.SectionIndex), where + $": ndx {s.SectionIndex}");
            Assert.True(e.Name == s.Name || (s.Type == ElfSymbolType.Section && e.Name == elf.Sections[s.SectionIndex].Name), where + $": name '{s.Name}'");
        }

        // Relocation tables: every one llvm printed (committed text: all but .debug ones), entry by entry.
        foreach (var kv in expected.RelocationSectionCounts)
        {
            var table = elf.RelocationTables.Single(t => t.Section.Name == kv.Key);
            Assert.Equal(kv.Value, table.Entries.Count);
            var lines = expected.Relocations.Where(r => r.SectionName == kv.Key).ToList();
            Assert.Equal(kv.Value, lines.Count);
            for (int i = 0; i < lines.Count; i++)
            {
                var r = table.Entries[i];
                var sym = elf.Symbols[(int)r.SymbolIndex];
                string symName = sym.Type == ElfSymbolType.Section ? elf.Sections[sym.SectionIndex].Name : sym.Name;
                string where = $"{fixture} {kv.Key} entry {i}";
                Assert.True(lines[i].Offset == r.Offset, where + $": offset {r.Offset}");
                Assert.True(lines[i].Info == ((ulong)r.SymbolIndex << 32 | (uint)r.Type), where + ": info");
                Assert.True(lines[i].Type == r.Type.ToString(), where + $": type {r.Type}");
                Assert.True(lines[i].SymbolName == symName, where + $": symbol {symName}");
            }
        }
        int expectedTables = committed
            ? elf.RelocationTables.Count(t => !t.Section.Name.Contains("debug"))
            : elf.RelocationTables.Count;
        Assert.Equal(expectedTables, expected.RelocationSectionCounts.Count);
    }
}
