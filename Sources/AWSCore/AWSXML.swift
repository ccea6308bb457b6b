import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: enough of a tree for S3, CloudFormation and error responses.
/// Namespaces are ignored (local names only), which is what every AWS XML reader needs.
public struct AWSXMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [AWSXMLElement]
    /// Concatenated character data directly inside this element.
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [AWSXMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// First direct child with this name.
    public func child(_ name: String) -> AWSXMLElement? { children.first { $0.name == name } }

    /// All direct children with this name.
    public func children(_ name: String) -> [AWSXMLElement] { children.filter { $0.name == name } }

    /// Text of the first direct child with this name.
    public func text(of name: String) -> String? { child(name)?.text }

    /// Follows a path of child names (`["Errors", "Error", "Code"]`).
    public func descendant(_ path: [String]) -> AWSXMLElement? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// First element with this name anywhere below (depth first), or self.
    public func first(named name: String) -> AWSXMLElement? {
        if self.name == name { return self }
        for child in children { if let found = child.first(named: name) { return found } }
        return nil
    }

    /// Parses a document and returns its root element.
    public static func parse(_ data: Data) throws -> AWSXMLElement {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\($0)" } ?? "no root element"
            throw AWSXMLError(reason: reason, snippet: String(decoding: data.prefix(200), as: UTF8.self))
        }
        return root
    }
}

/// An XML body could not be parsed.
public struct AWSXMLError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var snippet: String
    public var description: String { "malformed XML (\(reason)): \(snippet)" }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [AWSXMLElement] = []
    var root: AWSXMLElement?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        stack.append(AWSXMLElement(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }
}
