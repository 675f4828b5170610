namespace CSharpBpf.Object.Objects;

/// <summary>Section names with a meaning to libbpf-family loaders.</summary>
public static class BpfSectionNames
{
    public const string Text = ".text";
    public const string Maps = ".maps";
    public const string LegacyMaps = "maps";
    public const string License = "license";
    public const string Version = "version";
    public const string Btf = ".BTF";
    public const string BtfExt = ".BTF.ext";
    public const string StructOps = ".struct_ops";
    public const string StructOpsLink = ".struct_ops.link";
    public const string Ksyms = ".ksyms";
    public const string Kconfig = ".kconfig";
    public const string Data = ".data";
    public const string ReadOnlyData = ".rodata";
    public const string Bss = ".bss";

    /// <summary>Global-data sections: .data, .rodata, .bss and their ".name" suffixed variants.</summary>
    public static bool IsGlobalData(string name) =>
        IsOrStartsWith(name, Data) || IsOrStartsWith(name, ReadOnlyData) || IsOrStartsWith(name, Bss);

    public static bool IsStructOps(string name) => name == StructOps || name == StructOpsLink;

    private static bool IsOrStartsWith(string name, string prefix) =>
        name == prefix || name.StartsWith(prefix + ".", System.StringComparison.Ordinal);
}
