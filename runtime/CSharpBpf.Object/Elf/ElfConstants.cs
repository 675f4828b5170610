using System;

namespace CSharpBpf.Object.Elf;

/// <summary>Numeric constants of the ELF64 format that BPF objects use (System V gABI).</summary>
public static class ElfConstants
{
    public const int IdentSize = 16;
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte DataBigEndian = 2;
    public const byte CurrentVersion = 1;
    public const ushort TypeRelocatable = 1;

    /// <summary>e_machine of eBPF objects.</summary>
    public const ushort MachineBpf = 247;

    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    public const int RelSize = 16;
    public const int RelaSize = 24;

    /// <summary>Special section indices (st_shndx / e_shstrndx).</summary>
    public const ushort SectionUndefined = 0;
    public const ushort SectionLoReserve = 0xff00;
    public const ushort SectionAbsolute = 0xfff1;
    public const ushort SectionCommon = 0xfff2;
    public const ushort SectionExtendedIndex = 0xffff;
}

public enum ElfSectionType : uint
{
    Null = 0,
    ProgBits = 1,
    SymTab = 2,
    StrTab = 3,
    Rela = 4,
    Hash = 5,
    Dynamic = 6,
    Note = 7,
    NoBits = 8,
    Rel = 9,
    DynSym = 11,
    SymTabIndex = 18,
    LlvmAddrsig = 0x6fff4c03,
}

[Flags]
public enum ElfSectionFlags : ulong
{
    None = 0,
    Write = 0x1,
    Alloc = 0x2,
    ExecInstr = 0x4,
    Merge = 0x10,
    Strings = 0x20,
    InfoLink = 0x40,
    LinkOrder = 0x80,
    Group = 0x200,
    Tls = 0x400,
    Compressed = 0x800,
    Exclude = 0x80000000,
}

public enum ElfSymbolBinding : byte
{
    Local = 0,
    Global = 1,
    Weak = 2,
}

public enum ElfSymbolType : byte
{
    NoType = 0,
    Object = 1,
    Func = 2,
    Section = 3,
    File = 4,
    Common = 5,
    Tls = 6,
}

public enum ElfSymbolVisibility : byte
{
    Default = 0,
    Internal = 1,
    Hidden = 2,
    Protected = 3,
}

/// <summary>Relocation types of EM_BPF (llvm's ELFRelocs/BPF.def, the kernel's bpf llvm_reloc doc).</summary>
public enum BpfRelocationType : uint
{
    None = 0,
    /// <summary>64-bit immediate of an LD_IMM64 (map / global-data / ksym address).</summary>
    R_BPF_64_64 = 1,
    /// <summary>A 64-bit data word (e.g. a pointer in .maps or the DWARF).</summary>
    R_BPF_64_ABS64 = 2,
    /// <summary>A 32-bit data word (DWARF, BTF VAR offsets).</summary>
    R_BPF_64_ABS32 = 3,
    /// <summary>A 32-bit word no dynamic loader resolves (.BTF / .BTF.ext section offsets).</summary>
    R_BPF_64_NODYLD32 = 4,
    /// <summary>The imm of a call instruction (bpf-to-bpf call, kfunc call).</summary>
    R_BPF_64_32 = 10,
}
