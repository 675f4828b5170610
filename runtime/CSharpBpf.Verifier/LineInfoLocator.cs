using System;
using System.Collections.Generic;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Verifier;

/// <summary>
/// Maps a verified instruction back to source: its origin (section, slot) → the nearest line_info record at
/// or before it within the same function (BTF.ext offsets are bytes from the section start).
/// </summary>
internal static class LineInfoLocator
{
    public static Func<int, SourceLocation?> For(BtfExt ext, IReadOnlyList<(string Section, int Slot, int FunctionStart)> origin)
    {
        var bySection = new Dictionary<string, List<BtfLineInfo>>();
        foreach (var s in ext.LineInfos)
        {
            var list = new List<BtfLineInfo>(s.Records);
            list.Sort((a, b) => a.InsnOffset.CompareTo(b.InsnOffset));
            bySection[s.SectionName] = list;
        }
        return index =>
        {
            if (index < 0 || index >= origin.Count) return null;
            var (section, slot, fnStart) = origin[index];
            if (!bySection.TryGetValue(section, out var records)) return null;
            BtfLineInfo? best = null;
            foreach (var r in records)
            {
                long s = r.InsnOffset / 8;
                if (s > slot) break;
                if (s >= fnStart) best = r;
            }
            return best == null ? null : new SourceLocation(best.FileName, (int)best.Line, (int)best.Column, best.LineText);
        };
    }
}
