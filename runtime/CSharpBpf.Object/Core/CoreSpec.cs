using System.Collections.Generic;
using System.Text;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Object.Core;

// Inside CSharpBpf.Object, "Btf" is the namespace; this alias names the model type.
using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>One step of a CO-RE access chain: a named member of a composite, or an array index.</summary>
internal sealed record CoreAccess(string? MemberName, int ArrayIndex, uint LocalTypeId);

/// <summary>
/// A CO-RE access string ("0:1:2") resolved in the local BTF: the root type, the named steps
/// (anonymous members are walked through, as in libbpf, and matched by searching the target
/// recursively), the local bit offset, and the accessed member.
/// </summary>
internal sealed class CoreSpec
{
    public uint RootTypeId;
    public int RootIndex;
    public List<CoreAccess> Steps = new();
    public ulong BitOffset;
    public BtfMember? Member;
    public uint FinalTypeId;
    public string Description = "";

    public static CoreSpec ParseField(Btf btf, uint rootTypeId, string access)
    {
        var parts = access.Split(':');
        var spec = new CoreSpec { RootTypeId = rootTypeId, RootIndex = ParseIndex(btf, rootTypeId, access, parts[0]) };
        spec.BitOffset = (ulong)spec.RootIndex * btf.SizeOf(rootTypeId) * 8;
        uint cur = rootTypeId;
        var desc = new StringBuilder(Describe(btf, rootTypeId));
        for (int i = 1; i < parts.Length; i++)
        {
            int idx = ParseIndex(btf, rootTypeId, access, parts[i]);
            var t = btf.ResolveModifiers(cur);
            if (t is BtfComposite c)
            {
                if (idx >= c.Members.Count) throw new CoreResolutionException($"CO-RE access '{access}' on {Describe(btf, rootTypeId)}: member #{idx} out of range ({c.Members.Count} members)");
                var m = c.Members[idx];
                spec.BitOffset += m.BitOffset;
                spec.Member = m;
                if (!m.IsAnonymous)
                {
                    spec.Steps.Add(new CoreAccess(m.Name, -1, c.Id));
                    desc.Append('.').Append(m.Name);
                }
                cur = m.TypeId;
            }
            else if (t is BtfArray a)
            {
                spec.BitOffset += (ulong)idx * btf.SizeOf(a.ElementTypeId) * 8;
                spec.Steps.Add(new CoreAccess(null, idx, a.Id));
                spec.Member = null;
                desc.Append('[').Append(idx).Append(']');
                cur = a.ElementTypeId;
            }
            else
            {
                throw new CoreResolutionException($"CO-RE access '{access}' on {Describe(btf, rootTypeId)} indexes into {t.Kind}, which has no members");
            }
        }
        spec.FinalTypeId = cur;
        spec.Description = desc.ToString();
        return spec;
    }

    /// <summary>One number of an access string; BTF.ext is input, so a malformed one is a typed error, not a FormatException.</summary>
    internal static int ParseIndex(Btf btf, uint rootTypeId, string access, string part)
    {
        if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
            return value;
        throw new CoreResolutionException($"CO-RE access string '{access}' on {Describe(btf, rootTypeId)}: '{part}' is not a non-negative index");
    }

    public static string Describe(Btf btf, uint id)
    {
        var t = btf.GetType(id);
        string kind = t.Kind switch
        {
            BtfKind.Struct => "struct ",
            BtfKind.Union => "union ",
            BtfKind.Enum or BtfKind.Enum64 => "enum ",
            _ => "",
        };
        return kind + (t.IsAnonymous ? $"(anon {t.Kind} #{id})" : t.Name);
    }
}
