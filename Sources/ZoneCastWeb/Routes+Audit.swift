import Foundation
import Hummingbird

func addAuditRoutes(to router: Router<BasicRequestContext>, env: WebEnvironment) {
}
