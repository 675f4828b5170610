using System;
using System.Linq;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Tests.Fixtures;
using Xunit;

namespace CSharpBpf.Object.Tests.Elf;

/// <summary>Targeted corruptions of a clang-built object: each is one BpfFormatException naming the
/// exact offset of the bad field and what was expected there.</summary>
public class ElfBadInputTests
{
    private static readonly byte[] Original = FixtureFiles.Bytes("calls_globals.bpf");
    private static readonly ElfFile Parsed = ElfReader.Read(Original);

    private static byte[] Patched(Action<byte[]> patch)
    {
        var b = (byte[])Original.Clone();
        patch(b);
        return b;
    }

    private static void U16(byte[] b, long at, ushort v) => BitConverter.GetBytes(v).CopyTo(b, at);
    private static void U32(byte[] b, long at, uint v) => BitConverter.GetBytes(v).CopyTo(b, at);
    private static void U64(byte[] b, long at, ulong v) => BitConverter.GetBytes(v).CopyTo(b, at);

    private static BpfFormatException Rejects(byte[] bytes, long offset, string expectedFragment, bool highLevel = false)
    {
        var e = highLevel
            ? Assert.Throws<BpfFormatException>(() => BpfObjectFile.Read(bytes))
            : Assert.Throws<BpfFormatException>(() => ElfReader.Read(bytes));
        Assert.Equal("ELF", e.Format);
        Assert.True(offset == e.Offset, $"offset {e.Offset}, expected {offset}: {e.Message}");
        Assert.Contains(expectedFragment, e.Expected);
        Assert.Contains($"offset {offset}", e.Message);
        return e;
    }

    private static ElfSection Section(string name) => Parsed.FindSection(name)!;

    [Fact]
    public void Empty_and_short_inputs_name_the_identification()
    {
        Rejects(Array.Empty<byte>(), 0, "16-byte ELF identification");
        Rejects(Original.Take(10).ToArray(), 10, "16-byte ELF identification");
        Rejects(Original.Take(40).ToArray(), 0, "64-byte ELF64 header");
    }

    [Fact]
    public void Identification_fields_are_checked()
    {
        Rejects(Patched(b => b[1] = (byte)'X'), 0, "magic");
        Rejects(Patched(b => b[4] = 1), 4, "ELFCLASS64");
        Rejects(Patched(b => b[5] = 3), 5, "EI_DATA 1");
        Rejects(Patched(b => b[6] = 2), 6, "EI_VERSION 1");
        Rejects(Patched(b => U32(b, 20, 7)), 20, "e_version 1");
        Rejects(Patched(b => U16(b, 52, 32)), 52, "e_ehsize");
    }

    [Fact]
    public void Section_header_table_is_bounds_checked()
    {
        Rejects(Patched(b => U16(b, 58, 40)), 58, "e_shentsize 64");
        ulong shoff = BitConverter.ToUInt64(Original, 40);
        Rejects(Patched(b => U64(b, 40, (ulong)Original.Length)), Original.Length, "section header 0");
        Rejects(Patched(b => U16(b, 60, 200)), (long)shoff, "200 section headers");
        Rejects(Patched(b => U16(b, 62, 31)), 62, "e_shstrndx below the section count 31");
        Rejects(Patched(b => U64(b, 40, shoff + 4)), 40, "8-byte aligned e_shoff");
    }

    [Fact]
    public void Section_bytes_must_lie_in_the_file_and_not_overlap()
    {
        var xdp = Section("xdp");
        var e = Rejects(Patched(b => U64(b, xdp.HeaderOffset + 24, (ulong)Original.Length - 8)), Original.Length - 8, "the bytes of section");
        Assert.Contains("152 bytes", e.Expected);
        var text = Section(".text");
        Rejects(Patched(b => U64(b, xdp.HeaderOffset + 24, text.FileOffset + 8)), xdp.HeaderOffset, "not overlapping");
        Rejects(Patched(b => U64(b, xdp.HeaderOffset + 48, 3)), xdp.HeaderOffset + 48, "power of two");
    }

    [Fact]
    public void Names_must_be_inside_the_string_table()
    {
        var strtab = Section(".strtab");
        var xdp = Section("xdp");
        Rejects(Patched(b => U32(b, xdp.HeaderOffset, (uint)strtab.Size + 5)), (long)strtab.FileOffset + (long)strtab.Size + 5, "the name of section 4");
        var symtab = Section(".symtab");
        long sym14 = (long)symtab.FileOffset + 14 * 24;
        Rejects(Patched(b => U32(b, sym14, 0xffffff)), (long)strtab.FileOffset + 0xffffff, "the name of symbol 14");
    }

    [Fact]
    public void Symbol_table_shape_and_section_indices_are_checked()
    {
        var symtab = Section(".symtab");
        Rejects(Patched(b => U64(b, symtab.HeaderOffset + 56, 16)), symtab.HeaderOffset + 56, "sh_entsize 24");
        Rejects(Patched(b => U32(b, symtab.HeaderOffset + 40, 4)), symtab.HeaderOffset + 40, "naming a STRTAB");
        long sym14 = (long)symtab.FileOffset + 14 * 24;
        Rejects(Patched(b => U16(b, sym14 + 6, 77)), sym14 + 6, "st_shndx below the section count 31, got 77");
    }

    [Fact]
    public void Relocations_are_checked_against_the_symbol_table_and_their_target()
    {
        var rel = Section(".relxdp");
        long entry1 = (long)rel.FileOffset + 16;
        Rejects(Patched(b => U64(b, entry1 + 8, (500UL << 32) | 1)), entry1 + 8, "a symbol index below 22, got 500");
        Rejects(Patched(b => U64(b, entry1, 0x98)), entry1, "inside xdp (152 bytes)");
        Rejects(Patched(b => U32(b, rel.HeaderOffset + 44, 99)), rel.HeaderOffset + 44, "sh_info of .relxdp");
        Rejects(Patched(b => U64(b, rel.HeaderOffset + 56, 24)), rel.HeaderOffset + 56, "sh_entsize 16");
    }

    [Fact]
    public void Object_level_checks_name_the_place()
    {
        Rejects(Patched(b => U16(b, 18, 62 /* EM_X86_64 */)), 18, "EM_BPF", highLevel: true);
        Rejects(Patched(b => U16(b, 16, 2 /* ET_EXEC */)), 16, "ET_REL", highLevel: true);
        // A relocation moved onto an ALU instruction: it must be a call or an LD_IMM64.
        var rel = Section(".relxdp");
        long entry0 = (long)rel.FileOffset;
        var e = Rejects(Patched(b => U64(b, entry0, 8)), entry0, "a relocation on a call or LD_IMM64 instruction", highLevel: true);
        Assert.Contains("instruction 1 of xdp", e.Expected);
        // Misaligned: not on an instruction boundary.
        Rejects(Patched(b => U64(b, entry0, 4)), entry0, "a relocation offset on an instruction", highLevel: true);
        // A license without its NUL.
        var license = Section("license");
        Rejects(Patched(b => b[(long)license.FileOffset + (long)license.Size - 1] = (byte)'!'), (long)license.FileOffset, "NUL-terminated string in the license", highLevel: true);
    }
}
