using System.IO;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Cli.Btf;

/// <summary>Prints .BTF.ext records, one per line, grouped by program section.</summary>
internal static class BtfExtPrinter
{
    public static void Print(TextWriter w, CSharpBpf.Object.Btf.Btf btf, BtfExt ext)
    {
        foreach (var s in ext.FuncInfos)
        {
            w.WriteLine($"func_info '{s.SectionName}' ({s.Records.Count}):");
            foreach (var r in s.Records) w.WriteLine($"\tinsn_off={r.InsnOffset} type_id={r.TypeId} ({Describe(btf, r.TypeId)})");
        }
        foreach (var s in ext.LineInfos)
        {
            w.WriteLine($"line_info '{s.SectionName}' ({s.Records.Count}):");
            foreach (var r in s.Records) w.WriteLine($"\tinsn_off={r.InsnOffset} {r.FileName}:{r.Line}:{r.Column} {r.LineText.Trim()}");
        }
        foreach (var s in ext.CoreRelos)
        {
            w.WriteLine($"core_relo '{s.SectionName}' ({s.Records.Count}):");
            foreach (var r in s.Records) w.WriteLine($"\tinsn_off={r.InsnOffset} type_id={r.TypeId} ({Describe(btf, r.TypeId)}) access='{r.AccessString}' kind={r.Kind}");
        }
    }

    private static string Describe(CSharpBpf.Object.Btf.Btf btf, uint id) =>
        btf.TryGetType(id, out var t) ? $"{BtfRawFormatter.KindName(t.Kind)} '{(t.IsAnonymous ? "(anon)" : t.Name)}'" : "?";
}
