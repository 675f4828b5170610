using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CSharpBpf.Object.Btf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Cli.Disasm;

/// <summary>
/// Describes a CO-RE relocation the way llvm-objdump -r does after an instruction, e.g.
/// <c>&lt;byte_off&gt; [2] struct xdp_md::data (0:0)</c>, <c>&lt;type_exists&gt; [7] struct foo</c>,
/// <c>&lt;enumval_value&gt; [5] enum foo::V = 2</c>; a malformed record reads
/// <c>&lt;byte_off&gt; [4] '0:' &lt;field spec too short&gt;</c> instead of failing.
/// </summary>
internal static class CoreRelocationText
{
    enum Group { Field, Type, EnumValue, Unknown }

    public static string Describe(BtfModel btf, BtfCoreRelo relo)
    {
        string? failure = null;
        string text = Build(btf, relo, ref failure);
        return failure is null ? text : KindName((uint)relo.Kind) + $" [{relo.TypeId}] '{relo.AccessString}' <{failure}>";
    }

    static string Build(BtfModel btf, BtfCoreRelo relo, ref string? failure)
    {
        var spec = new List<ulong>();
        string rest = relo.AccessString;
        while (rest.Length > 0)
        {
            int digits = 0;
            while (digits < rest.Length && rest[digits] >= '0' && rest[digits] <= '9') digits++;
            if (digits == 0 || !ulong.TryParse(rest.Substring(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                failure = "spec string is not a number";
                return "";
            }
            spec.Add(value);
            rest = rest.Substring(digits);
            if (rest.Length == 0) break;
            if (rest[0] != ':')
            {
                failure = $"unexpected spec string delimiter: '{rest[0]}'";
                return "";
            }
            rest = rest.Substring(1);
        }

        var sb = new StringBuilder(KindName((uint)relo.Kind));
        uint id = relo.TypeId;
        if (!btf.TryGetType(id, out var type))
        {
            failure = $"unknown type id: {id}";
            return "";
        }
        sb.Append(" [").Append(id).Append(']');
        for (int chain = 0; PrintModifier(type, sb); chain++)
        {
            if (chain >= 32)
            {
                failure = "modifiers chain is too long";
                return "";
            }
            id = ((BtfReferenceType)type).TypeId;
            if (!btf.TryGetType(id, out type))
            {
                failure = $"unknown type id: {id} in modifiers chain";
                return "";
            }
        }
        if (id == 0)
            sb.Append(" void");
        else
        {
            sb.Append(type switch
            {
                BtfTypedef => " typedef",
                BtfStruct => " struct",
                BtfUnion => " union",
                BtfEnumBase => " enum",
                BtfFwd fwd => fwd.IsUnion ? " fwd union" : " fwd struct",
                _ => "",
            });
            sb.Append(' ').Append(NameOrAnon(type.Name, id));
        }

        var group = GroupOf((uint)relo.Kind);
        if (group == Group.Type)
        {
            if (spec.Count != 1 || spec[0] != 0) failure = "unexpected type-based relocation spec: should be '0'";
            return sb.ToString();
        }
        sb.Append("::");
        if (group == Group.EnumValue)
        {
            type = SkipModifiersAndTypedefs(btf, type);
            if (spec.Count != 1)
            {
                failure = "unexpected enumval relocation spec size";
                return "";
            }
            if (type is not BtfEnumBase e)
            {
                failure = $"unexpected type kind for enum relocation: {(int)type.Kind}";
                return "";
            }
            ulong index = spec[0];
            if ((ulong)e.Values.Count <= index)
            {
                failure = $"bad value index: {index}";
                return "";
            }
            var v = e.Values[(int)index];
            // 32-bit enum values are int32 in BTF and widen with their sign, as llvm reads them.
            ulong bits = e is BtfEnum ? unchecked((ulong)(long)(int)v.Value) : unchecked((ulong)v.Value);
            sb.Append(NameOrAnon(v.Name, index)).Append(" = ");
            sb.Append(e.IsSigned ? unchecked((long)bits).ToString(CultureInfo.InvariantCulture) : bits.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }
        if (group == Group.Field)
        {
            if (spec.Count < 1)
            {
                failure = "field spec too short";
                return "";
            }
            if (spec[0] != 0) sb.Append('[').Append(spec[0]).Append(']');
            for (int i = 1; i < spec.Count; i++)
            {
                type = SkipModifiersAndTypedefs(btf, type);
                ulong index = spec[i];
                if (type is BtfComposite composite)
                {
                    if ((ulong)composite.Members.Count <= index)
                    {
                        failure = $"member index {index} for spec sub-string {i} is out of range";
                        return "";
                    }
                    var member = composite.Members[(int)index];
                    if (i != 1 || spec[0] != 0) sb.Append('.');
                    sb.Append(NameOrAnon(member.Name, index));
                    if (!btf.TryGetType(member.TypeId, out type))
                    {
                        failure = $"unknown member type id {member.TypeId} for spec sub-string {i}";
                        return "";
                    }
                }
                else if (type is BtfArray array)
                {
                    sb.Append('[').Append(index).Append(']');
                    if (!btf.TryGetType(array.ElementTypeId, out type))
                    {
                        failure = $"unknown element type id {array.ElementTypeId} for spec sub-string {i}";
                        return "";
                    }
                }
                else
                {
                    failure = $"unexpected type kind {(int)type.Kind} for spec sub-string {i}";
                    return "";
                }
            }
            sb.Append(" (").Append(relo.AccessString).Append(')');
            return sb.ToString();
        }
        failure = $"unknown relocation kind: {(uint)relo.Kind}";
        return "";
    }

    static bool PrintModifier(BtfType type, StringBuilder sb)
    {
        switch (type)
        {
            case BtfConst: sb.Append(" const"); return true;
            case BtfVolatile: sb.Append(" volatile"); return true;
            case BtfRestrict: sb.Append(" restrict"); return true;
            case BtfTypeTag tag: sb.Append(" type_tag(\"").Append(tag.Name).Append("\")"); return true;
            default: return false;
        }
    }

    static BtfType SkipModifiersAndTypedefs(BtfModel btf, BtfType type)
    {
        // Bounded like the cycle-free BTF the reader guarantees; the bound only guards hand-made models.
        for (int i = 0; i < 256 && type is BtfConst or BtfVolatile or BtfRestrict or BtfTypeTag or BtfTypedef; i++)
        {
            if (!btf.TryGetType(((BtfReferenceType)type).TypeId, out var next)) break;
            type = next;
        }
        return type;
    }

    static string NameOrAnon(string name, ulong index) => name.Length == 0 ? $"<anon {index}>" : name;

    static Group GroupOf(uint kind) => kind switch
    {
        <= 5 => Group.Field,
        6 or 7 or 8 or 9 or 12 => Group.Type,
        10 or 11 => Group.EnumValue,
        _ => Group.Unknown,
    };

    static string KindName(uint kind) => "<" + kind switch
    {
        0 => "byte_off",
        1 => "byte_sz",
        2 => "field_exists",
        3 => "signed",
        4 => "lshift_u64",
        5 => "rshift_u64",
        6 => "local_type_id",
        7 => "target_type_id",
        8 => "type_exists",
        9 => "type_size",
        10 => "enumval_exists",
        11 => "enumval_value",
        12 => "type_matches",
        _ => "reloc kind #" + kind,
    } + ">";
}
