import BenchlingSandbox
import Foundation

/// A notebook entry the dev stack seeds into the sandbox, with the canvas Benchling would have placed on it.
///
/// Ids are fixed, so each run of `swift run dev` on the same folder adds revisions to the same packages.
public struct SampleEntry: Sendable, Hashable {
    public let entryId: String
    public let displayId: String
    public let name: String
    public let canvasId: String
    /// The files of the entry's export ZIP.
    public let exportFiles: [ExportMember]

    /// `count` entries: the first three are hand-written experiments, any more are numbered copies of them.
    public static func samples(count: Int) -> [SampleEntry] {
        (0..<max(count, 0)).map { index in
            let template = templates[index % templates.count]
            let number = 1234 + index
            let displayId = String(format: "EXP%08ld", number)
            let suffix = index < templates.count ? "" : " (copy \(index / templates.count))"
            let name = template.name + suffix
            return SampleEntry(
                entryId: String(format: "etr_dev%05ld", number), displayId: displayId, name: name,
                canvasId: String(format: "cnv_dev%05ld", number),
                exportFiles: [
                    .text("\(displayId).html", notebookPage(displayId: displayId, name: name, body: template.body)),
                    .text("attachments/\(template.attachmentName)", template.attachment),
                ])
        }
    }

    /// Puts the entry and its (still empty) canvas into the sandbox.
    public func seed(into sandbox: SandboxTenant) async {
        var entry = SandboxEntry(id: entryId, displayId: displayId, name: name)
        entry.exportFiles = exportFiles
        await sandbox.addEntry(entry)
        await sandbox.addCanvas(id: canvasId, resourceId: entryId)
    }

    private struct Template {
        let name: String
        let body: String
        let attachmentName: String
        let attachment: String
    }

    private static let templates: [Template] = [
        Template(
            name: "Plate reader calibration, lot 42",
            body: "Calibrated the absorbance reader at 450 nm with the lot 42 standard curve (8 points, triplicates).",
            attachmentName: "plate-reader-450nm.csv",
            attachment: "well,standard_ug_ml,od450\nA1,0,0.051\nA2,0.5,0.212\nA3,1,0.398\nA4,2,0.781\nA5,4,1.502\n"),
        Template(
            name: "qPCR of IL-6 after siRNA knockdown",
            body: "HeLa cells, 48 h after siRNA transfection; IL-6 normalised to GAPDH, three biological replicates.",
            attachmentName: "qpcr-ct-values.csv",
            attachment:
                "sample,target,ct\nsiCtrl-1,IL6,24.1\nsiCtrl-1,GAPDH,17.9\nsiIL6-1,IL6,28.7\nsiIL6-1,GAPDH,18.0\n"),
        Template(
            name: "Expression trial of His-tagged GFP in E. coli BL21",
            body: "Induced with 0.5 mM IPTG at OD600 0.6; 4 h at 30 °C versus overnight at 18 °C; lysates on SDS-PAGE.",
            attachmentName: "expression-yields.csv",
            attachment: "condition,od600_harvest,yield_mg_per_l\n30C-4h,2.1,18.5\n18C-16h,3.4,31.2\n"),
    ]

    private static func notebookPage(displayId: String, name: String, body: String) -> String {
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(displayId) - \(name)</title></head>\n"
            + "<body><h1>\(name)</h1><p>\(body)</p></body></html>\n"
    }
}
