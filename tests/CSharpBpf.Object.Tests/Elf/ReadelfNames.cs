using System.Text;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Tests.Elf;

/// <summary>llvm-readelf's spelling of our enum values, for field-by-field comparison.</summary>
public static class ReadelfNames
{
    public static string SectionType(ElfSectionType t) => t switch
    {
        ElfSectionType.Null => "NULL",
        ElfSectionType.ProgBits => "PROGBITS",
        ElfSectionType.SymTab => "SYMTAB",
        ElfSectionType.StrTab => "STRTAB",
        ElfSectionType.Rel => "REL",
        ElfSectionType.Rela => "RELA",
        ElfSectionType.NoBits => "NOBITS",
        ElfSectionType.LlvmAddrsig => "LLVM_ADDRSIG",
        _ => ((uint)t).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Flag letters in llvm-readelf's order (W A X M S I L O G T C ... E).</summary>
    public static string Flags(ElfSectionFlags f)
    {
        var sb = new StringBuilder();
        if ((f & ElfSectionFlags.Write) != 0) sb.Append('W');
        if ((f & ElfSectionFlags.Alloc) != 0) sb.Append('A');
        if ((f & ElfSectionFlags.ExecInstr) != 0) sb.Append('X');
        if ((f & ElfSectionFlags.Merge) != 0) sb.Append('M');
        if ((f & ElfSectionFlags.Strings) != 0) sb.Append('S');
        if ((f & ElfSectionFlags.InfoLink) != 0) sb.Append('I');
        if ((f & ElfSectionFlags.LinkOrder) != 0) sb.Append('L');
        if ((f & ElfSectionFlags.Group) != 0) sb.Append('G');
        if ((f & ElfSectionFlags.Tls) != 0) sb.Append('T');
        if ((f & ElfSectionFlags.Compressed) != 0) sb.Append('C');
        if ((f & ElfSectionFlags.Exclude) != 0) sb.Append('E');
        return sb.ToString();
    }

    public static string SymbolType(ElfSymbolType t) => t switch
    {
        ElfSymbolType.NoType => "NOTYPE",
        ElfSymbolType.Object => "OBJECT",
        ElfSymbolType.Func => "FUNC",
        ElfSymbolType.Section => "SECTION",
        ElfSymbolType.File => "FILE",
        ElfSymbolType.Common => "COMMON",
        ElfSymbolType.Tls => "TLS",
        _ => t.ToString(),
    };

    public static string Binding(ElfSymbolBinding b) => b switch
    {
        ElfSymbolBinding.Local => "LOCAL",
        ElfSymbolBinding.Global => "GLOBAL",
        ElfSymbolBinding.Weak => "WEAK",
        _ => b.ToString(),
    };

    public static string Visibility(ElfSymbolVisibility v) => v.ToString().ToUpperInvariant();

    public static string Ndx(ushort shndx) => shndx switch
    {
        ElfConstants.SectionUndefined => "UND",
        ElfConstants.SectionAbsolute => "ABS",
        ElfConstants.SectionCommon => "COM",
        _ => shndx.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
